using Redoubt.Core;

namespace Redoubt.Terminal;

/// <summary>The one place a failure becomes what the user reads and the exit code scripts see.</summary>
public static class ErrorReport
{
    public static bool DebugEnabled => Environment.GetEnvironmentVariable("REDOUBT_DEBUG") is "1" or "true";

    public static int Write(Exception exception, CancellationToken termination)
    {
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        switch (exception)
        {
            case OperationCanceledException when termination.IsCancellationRequested:
                ConsoleText.WriteError("interrupted");
                return ExitCodes.Interrupted;
            case RedoubtException:
                ConsoleText.WriteError(exception.Message);
                WriteDetails(exception);
                return ExitCodes.Failure;
            default:
                ConsoleText.WriteError($"{exception.GetType().Name}: {exception.Message}");
                if (!WriteDetails(exception))
                {
                    ConsoleText.WriteError("run with REDOUBT_DEBUG=1 for details");
                }
                return ExitCodes.Failure;
        }
    }

    private static bool WriteDetails(Exception exception)
    {
        if (!DebugEnabled)
        {
            return false;
        }
        Console.Error.WriteLine(exception.ToString());
        return true;
    }
}
