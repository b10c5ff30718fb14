using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Autorest;
using Redoubt.Platforms.Kubernetes.Platform;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>A failed pass in words for the resource's condition and Warning event: the call that failed and what the API server said. Pure.</summary>
public static class PassFailure
{
    private const int MaxLength = 900;

    public static string Describe(Exception error)
    {
        var text = error switch
        {
            HttpOperationException http =>
                $"{http.Request?.Method} {http.Request?.RequestUri?.AbsolutePath}: the API server answered {(int)http.Response.StatusCode} {ServerMessage(http.Response.Content)}",
            ImmutableFieldException => error.Message,
            _ => $"{error.GetType().Name}: {error.Message}",
        };
        return text.Length > MaxLength ? text[..MaxLength] + "…" : text;
    }

    /// <summary>The message of the Status the API server sends with an error, else its body as it came.</summary>
    private static string ServerMessage(string? content)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return "(no body)";
        }

        try
        {
            return JsonNode.Parse(content)?["message"]?.GetValue<string>() ?? content.Trim();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return content.Trim();
        }
    }
}
