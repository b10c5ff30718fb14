namespace Redoubt.Core.Redis;

/// <summary>One RESP2 reply: a simple or bulk string, an integer, an array, or null. Error replies become exceptions.</summary>
public sealed record RespValue(string? Text, long? Number, IReadOnlyList<RespValue>? Items)
{
    public static readonly RespValue Null = new(null, null, null);

    public bool IsNull => Text is null && Number is null && Items is null;

    /// <summary>The value as text (an integer in decimal), or null.</summary>
    public override string? ToString() => Text ?? Number?.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public IReadOnlyList<RespValue> Array => Items ?? [];
}
