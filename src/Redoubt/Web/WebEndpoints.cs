using System.Text.Json;
using System.Text.Json.Serialization;

namespace Redoubt.Web;

/// <summary>
/// Where a running control plane serves the dashboard and metrics, as the command line learns it: the host writes
/// it to <see cref="FileName"/> in the home once its web listener listens and removes it when it stops (a new one
/// removes a file left by a killed one). No secret: the token stays in its own 0600 file.
/// </summary>
public sealed record WebEndpoints(
    [property: JsonPropertyName("dashboard")] Uri Dashboard,
    [property: JsonPropertyName("metrics")] Uri Metrics,
    [property: JsonPropertyName("tokenFile")] string TokenFile)
{
    public const string FileName = "web.json";

    public static WebEndpoints Of(WebListener listener, string home) =>
        new(listener.Address, new Uri(listener.Address, "metrics"), Path.Combine(home, WebToken.FileName));

    /// <summary>The dashboard's address with the token in it, for the terminal of the user who started `up`.</summary>
    public static Uri DashboardWithToken(WebListener listener) =>
        new(listener.Address, "?token=" + Uri.EscapeDataString(listener.Token.Value));

    public void Write(string home)
    {
        var path = Path.Combine(home, FileName);
        var temporary = path + ".tmp";
        // Not a secret, but every file in the home is its owner's alone.
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            JsonSerializer.Serialize(stream, this);
        }
        File.Move(temporary, path, overwrite: true);
    }

    public static void Remove(string home) => File.Delete(Path.Combine(home, FileName));

    /// <summary>Null when the control plane serves no web listener (<c>--web off</c>) or the file cannot be read.</summary>
    public static WebEndpoints? Read(string home)
    {
        try
        {
            return JsonSerializer.Deserialize<WebEndpoints>(File.ReadAllText(Path.Combine(home, FileName)));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
