using System.CommandLine;
using Redoubt.Commands;
using Redoubt.Terminal;

var root = RedoubtCommandLine.Build();
if (args.Length == 0)
{
    await root.Parse(["--help"]).InvokeAsync();
    return ExitCodes.Usage;
}
var parseResult = root.Parse(args);
if (parseResult.Errors.Count > 0)
{
    foreach (var error in parseResult.Errors)
    {
        ConsoleText.WriteError(error.Message);
    }
    ConsoleText.WriteError("run `redoubt --help` to see the commands and their options");
    return ExitCodes.Usage;
}

using var termination = TerminationSignal.Register();
try
{
    // Termination is handled by TerminationSignal, not by System.CommandLine: its default gives an action two
    // seconds before killing the process, and stopping every Redis cleanly can take longer than that.
    var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
    return await parseResult.InvokeAsync(invocation, termination.Token);
}
catch (Exception exception)
{
    return ErrorReport.Write(exception, termination.Token);
}
