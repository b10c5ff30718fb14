using System.Text.Json;
using Redoubt.Model;

namespace Redoubt.Api;

public static class ApiJson
{
    /// <summary>The model's own JSON settings, so the API carries resources exactly as `get -o json` shows them.</summary>
    public static JsonSerializerOptions Options => ResourceSerializer.JsonOptions;
}
