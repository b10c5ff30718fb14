using Spectre.Console;

namespace Redoubt.Terminal;

/// <summary>
/// `get -w` and `describe -w`: reads a few times a second and, on a terminal, redraws in place when what is shown
/// changes; in a pipe, prints a new block (after an empty line) each time the frame's key changes, with no escape
/// codes. Ends at Ctrl-C, which is how a watch is meant to end.
/// </summary>
public static class LiveWatch
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    public static async Task RunAsync(Func<CancellationToken, Task<WatchFrame>> read, CancellationToken cancellationToken)
    {
        try
        {
            if (StartupProgress.IsInteractive())
            {
                await RedrawAsync(read, cancellationToken);
            }
            else
            {
                await PrintChangesAsync(read, Console.Out, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl-C: the watch is over.
        }
    }

    public static async Task PrintChangesAsync(Func<CancellationToken, Task<WatchFrame>> read, TextWriter output, CancellationToken cancellationToken)
    {
        string? shown = null;
        while (true)
        {
            var frame = await read(cancellationToken);
            if (frame.Key != shown)
            {
                if (shown is not null)
                {
                    await output.WriteLineAsync();
                }
                await output.WriteAsync(frame.Text.EndsWith('\n') ? frame.Text : frame.Text + "\n");
                await output.FlushAsync(cancellationToken);
                shown = frame.Key;
            }
            await Task.Delay(Interval, cancellationToken);
        }
    }

    private static async Task RedrawAsync(Func<CancellationToken, Task<WatchFrame>> read, CancellationToken cancellationToken)
    {
        var frame = await read(cancellationToken);
        await AnsiConsole.Live(new Text(frame.Text)).Overflow(VerticalOverflow.Ellipsis).StartAsync(async context =>
        {
            var shown = frame.Text;
            while (true)
            {
                await Task.Delay(Interval, cancellationToken);
                frame = await read(cancellationToken);
                if (frame.Text != shown)
                {
                    context.UpdateTarget(new Text(frame.Text));
                    shown = frame.Text;
                }
            }
        });
    }
}
