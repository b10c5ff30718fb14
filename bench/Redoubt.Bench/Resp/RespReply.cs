namespace Redoubt.Bench.Resp;

internal enum RespKind
{
    Simple,
    Error,
    Integer,
    Bulk,
    Array,
    Null,
}

/// <summary>One RESP2 reply.</summary>
internal sealed record RespReply(RespKind Kind, string? Text = null, long Integer = 0, IReadOnlyList<RespReply>? Items = null)
{
    public static readonly RespReply Null = new(RespKind.Null);

    public bool IsError => Kind == RespKind.Error;

    public bool IsNull => Kind == RespKind.Null;

    public IReadOnlyList<RespReply> Array => Items ?? [];

    public RespReply ThrowIfError() => IsError ? throw new RespErrorException(Text ?? "ERR") : this;

    /// <summary>A flat [key, value, key, value…] array (SENTINEL MASTER, SENTINEL REPLICAS entries) as a dictionary.</summary>
    public Dictionary<string, string> AsFields()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < Array.Count; i += 2)
        {
            fields[Array[i].Text ?? ""] = Array[i + 1].Text ?? "";
        }

        return fields;
    }
}

internal sealed class RespErrorException(string message) : Exception(message);
