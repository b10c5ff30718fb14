using System.Text.Json;
using Redoubt.Api;

namespace Redoubt.Commands;

/// <summary>The JSON that commands print with <c>-o json</c>: the API's names and formats, indented for people.</summary>
public static class CommandJson
{
    public static readonly JsonSerializerOptions Indented = new(ApiJson.Options) { WriteIndented = true };
}
