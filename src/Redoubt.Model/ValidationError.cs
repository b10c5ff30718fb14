namespace Redoubt.Model;

/// <summary>One problem with the input: where it is (file, field path, line when known) and what is allowed.</summary>
public sealed record ValidationError(string File, string Path, string Message, int? Line = null)
{
    public override string ToString() =>
        Line is { } line ? $"{File}:{line}: {Path}: {Message}" : $"{File}: {Path}: {Message}";
}
