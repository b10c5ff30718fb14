namespace Redoubt.Core;

/// <summary>
/// A failure the user can act on. Its message is shown as is, without a stack trace, so it must say what went
/// wrong, where (file, field, node, port) and what to do.
/// </summary>
public class RedoubtException : Exception
{
    public RedoubtException() { }
    public RedoubtException(string message) : base(message) { }
    public RedoubtException(string message, Exception innerException) : base(message, innerException) { }
}
