namespace Redoubt.Terminal;

/// <summary>
/// Plain writes to stdout and stderr. Machine-readable output (JSON, YAML, a password) must reach a pipe byte for
/// byte, so only messages for people get colour, and only on a terminal that wants it.
/// </summary>
public static class ConsoleText
{
    private const string Red = "\u001b[31m";
    private const string Yellow = "\u001b[33m";
    private const string Reset = "\u001b[0m";

    private static readonly bool ErrorColour =
        !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null or "";

    public static void Write(string text) => Console.Out.Write(text);

    public static void WriteLine(string text = "") => Console.Out.WriteLine(text);

    /// <summary>A message for people on stderr, uncoloured: stdout carries what a script reads.</summary>
    public static void WriteNote(string message) => Console.Error.WriteLine(message);

    public static void WriteError(string message) => WriteColoured(message, Red);

    public static void WriteWarning(string message) => WriteColoured(message, Yellow);

    private static void WriteColoured(string message, string colour)
    {
        foreach (var line in message.Split('\n'))
        {
            Console.Error.WriteLine(ErrorColour ? colour + line + Reset : line);
        }
    }
}
