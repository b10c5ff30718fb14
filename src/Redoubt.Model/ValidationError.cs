namespace Redoubt.Model;

/// <summary>One problem with the input: where it is (file, field path, line when known) and what is allowed.</summary>
/// <remarks>The path is empty for a problem with the file as a whole (unreadable, not YAML, no resource in it).</remarks>
public sealed record ValidationError(string File, string Path, string Message, int? Line = null)
{
    public override string ToString()
    {
        var where = Line is { } line ? $"{File}:{line}" : File;
        return Path.Length == 0 ? $"{where}: {Message}" : $"{where}: {Path}: {Message}";
    }
}
