namespace Redoubt.Terminal;

/// <summary>
/// Where log lines end up: the terminal (stderr), the control plane's log file in the home, or both, one line at a
/// time. Terminal lines can be held while a live display owns the terminal and are then written in order, so
/// nothing is lost and nothing tears the display; the file gets every line at once.
/// </summary>
public sealed class TerminalLog : IDisposable
{
    private readonly Lock _gate = new();
    private readonly TextWriter? _writer;
    private ControlPlaneLogFile? _file;
    private List<string>? _held;

    /// <param name="writer">The terminal; null when the lines go only to <paramref name="file"/>.</param>
    public TerminalLog(TextWriter? writer, bool colour, ControlPlaneLogFile? file = null)
    {
        _writer = writer;
        Colour = colour && writer is not null;
        _file = file;
        FilePath = file?.Path;
    }

    public bool Colour { get; }

    /// <summary>The log file, when there is one.</summary>
    public string? FilePath { get; }

    public static TerminalLog StandardError() =>
        new(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "");

    /// <summary>Every line to <paramref name="file"/>; to stderr as well when <paramref name="toTerminal"/>.</summary>
    public static TerminalLog ToFile(ControlPlaneLogFile file, bool toTerminal) => toTerminal
        ? new(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "", file)
        : new(writer: null, colour: false, file);

    /// <summary>Queues terminal lines until the returned handle is disposed, then writes them all.</summary>
    public IDisposable Hold()
    {
        lock (_gate)
        {
            _held ??= [];
        }
        return new Release(this);
    }

    public void Write(string line)
    {
        lock (_gate)
        {
            _file?.WriteLine(line);
            if (_writer is null)
            {
                return;
            }
            if (_held is not null)
            {
                _held.Add(line);
                return;
            }
            _writer.WriteLine(line);
            _writer.Flush();
        }
    }

    private void Flush()
    {
        lock (_gate)
        {
            if (_held is null || _writer is null)
            {
                _held = null;
                return;
            }
            foreach (var line in _held)
            {
                _writer.WriteLine(line);
            }
            _held = null;
            _writer.Flush();
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            // Lines logged later (a late shutdown message) are dropped rather than written to a closed file.
            _file?.Dispose();
            _file = null;
        }
    }

    private sealed class Release(TerminalLog log) : IDisposable
    {
        public void Dispose() => log.Flush();
    }
}
