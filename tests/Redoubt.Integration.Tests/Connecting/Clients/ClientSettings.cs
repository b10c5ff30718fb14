using System.Text.Json;

namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>
/// What a writer script reads from its stdin: where the Sentinels are, the master's name, the password, its key prefix;
/// or, for an application that takes one address, the master endpoint's URL (password included) instead.
/// </summary>
internal sealed record ClientSettings(IReadOnlyList<string> Sentinels, string MasterName, string? Password, string Prefix)
{
    public string? Url { get; init; }

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
