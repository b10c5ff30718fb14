namespace Redoubt.Model;

/// <summary>
/// Collects the errors of one document. It keeps the line of every field it has seen, so that checks made on the
/// converted resource still point at the right line, and reports at most one error per field: the first is the most
/// specific, and a field that failed to convert must not also fail the checks of its value or of fields that depend on it.
/// </summary>
internal sealed class ErrorCollector(string file)
{
    private readonly List<ValidationError> _errors = [];
    private readonly Dictionary<string, int> _lines = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failed = new(StringComparer.Ordinal);

    public IReadOnlyList<ValidationError> Errors => _errors;

    public void SetLine(string path, int line) => _lines.TryAdd(path, line);

    public bool HasError(string path) => _failed.Contains(path);

    public void Add(string path, string message, int? line = null)
    {
        if (_failed.Add(path))
        {
            _errors.Add(new ValidationError(file, path, message, line ?? LineOf(path)));
        }
    }

    /// <summary>The line of the field, or of the closest enclosing field that has one (a missing field is reported at its parent).</summary>
    private int? LineOf(string path)
    {
        while (true)
        {
            if (_lines.TryGetValue(path, out var line))
            {
                return line;
            }

            if (path.Length == 0)
            {
                return null;
            }

            path = path[..Math.Max(0, path.LastIndexOfAny(['.', '[']))];
        }
    }
}
