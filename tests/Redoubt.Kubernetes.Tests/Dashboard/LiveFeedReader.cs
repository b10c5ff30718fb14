using System.Runtime.CompilerServices;

namespace Redoubt.Kubernetes.Tests.Dashboard;

/// <summary>
/// Reads the dashboard's live feed (<c>/api/live</c>, server-sent events) as a page would: each event's name and its
/// one line of JSON, as they arrive. Shared by the operator's dashboard tests and the dashboard bench.
/// </summary>
public static class LiveFeedReader
{
    /// <param name="http">A client whose base address is the dashboard's and that carries the token.</param>
    public static async IAsyncEnumerable<(string Name, string Data)> ReadAsync(HttpClient http, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri("api/live", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var name = "";
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line["event: ".Length..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                yield return (name, line["data: ".Length..]);
            }
        }
    }
}
