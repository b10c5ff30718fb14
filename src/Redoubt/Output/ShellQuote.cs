namespace Redoubt.Output;

/// <summary>Quotes a word for a POSIX shell only when it needs it, so printed commands stay readable and still paste.</summary>
public static class ShellQuote
{
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or ':' or '=' or '@' or ',' or '+')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
