namespace Redoubt.Terminal;

/// <summary>
/// Where log lines end up: stderr, one line at a time. Lines can be held while a live display owns the terminal and
/// are then written in order, so nothing is lost and nothing tears the display.
/// </summary>
public sealed class TerminalLog
{
    private readonly Lock _gate = new();
    private readonly TextWriter _writer;
    private List<string>? _held;

    public TerminalLog(TextWriter writer, bool colour)
    {
        _writer = writer;
        Colour = colour;
    }

    public bool Colour { get; }

    public static TerminalLog StandardError() =>
        new(Console.Error, !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "");

    /// <summary>Queues lines until the returned handle is disposed, then writes them all.</summary>
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
            if (_held is null)
            {
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

    private sealed class Release(TerminalLog log) : IDisposable
    {
        public void Dispose() => log.Flush();
    }
}
