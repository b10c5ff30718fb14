using System.Text;
using System.Globalization;
using CsCheck;
using Redoubt.Model.Tests.HostileInput;

namespace Redoubt.Integration.Tests.HostileInput;

/// <summary>
/// One exchange on the control socket: the bytes sent, and what they are for a failure report. A well-framed request
/// asks the server to close after its reply; any other is followed by closing the sending side, since the server may
/// wait for the rest of it (Kestrel takes a half-closed connection for a client gone, and may not answer it).
/// </summary>
internal sealed record HostileRequest(string Description, byte[] Bytes, bool IsApplyOfARejectedFile, bool IsWellFramed = false)
{
    public override string ToString() => Description;
}

/// <summary>
/// Malformed, oversized, truncated and binary requests for the control plane's HTTP API on its Unix socket, and
/// well-framed ones with hostile bodies and routes. None of them names the resource the test keeps, except to ask a
/// switchover to a node that does not exist: nothing here may legitimately change it.
/// </summary>
internal static class HostileRequests
{
    private static readonly string[] Methods = ["GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "CONNECT", "HEAD", "G\0ET", "", "get", new string('A', 10_000), "POST /v1/apply"];

    private static readonly string[] Versions = ["HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/9.9", "", "HTTP/1.1 extra", "http/1.1", "HTTP/1.1\0"];

    private static readonly string[] Paths =
    [
        "/", "/v1/apply", "/v1/redis", "/v1/redis/", "/v1/redis/default", "/v1/redis/../../etc/passwd", "/v1/redis/%2e%2e/%2e%2e/credentials",
        "/v1/redis/default/%00/credentials", "/v1/redis/default/..%2Ftarget/credentials", "/v1/redis/%2Fetc%2Fpasswd/x", "*",
        "http://evil.example/v1/redis", "/v1/redis/default/nope/failover?to=redis-0", "/v1/redis/default/target/failover?to=%0d%0aINJECTED",
        "/v1/redis/default/target/failover?to=" + new string('x', 5000), "/v1/redis/default/nope?keepData=maybe", "/v1/redis/default/nope/restart",
        "/v1/redis/default/" + new string('n', 100_000), "/v1/redis/default/nope%ZZ", "/v1/redis/default/\u202Etegrat/credentials",
        "/v1/redis/default/nope/credentials?x=" + new string('%', 3000), "//v1//redis//default//target", "/v1/redis/default/target/../../apply",
    ];

    private static readonly string[] Headers =
    [
        "Host: redoubt", "Content-Type: application/json", "Content-Length: -1", "Content-Length: 99999999999999999999", "Content-Length: 5, 6",
        "Transfer-Encoding: chunked", "Transfer-Encoding: gzip, chunked", "Expect: 100-continue", "Connection: upgrade\r\nUpgrade: h2c",
        "No-Colon-Here", ": empty-name", "X-Bad: \0\x01", "Host: a\r\nHost: b", "X-Long: " + new string('v', 100_000), "Content-Encoding: gzip",
        string.Join("\r\n", Enumerable.Range(0, 500).Select(i => $"X-H{i}: v")),
    ];

    /// <summary>JSON bodies for POST /v1/apply that are not the request the API expects.</summary>
    private static readonly string[] Bodies =
    [
        "", "{", "null", "[]", "3", "\"yaml\"", "{\"yaml\": 3, \"fileName\": \"f\"}", "{\"yaml\": null, \"fileName\": \"f\"}", "{\"fileName\": \"f\"}",
        "{\"yaml\": \"a: 1\"}", "{\"yaml\": \"\\ud800\", \"fileName\": \"f\"}", "{\"yaml\": {\"a\": 1}, \"fileName\": []}", new string('[', 10_000) + new string(']', 10_000),
        "{\"yaml\": \"" + new string('a', 5_000_000) + "\", \"fileName\": \"big.yaml\"}", "{\"yaml\": \"x\", \"yaml\": \"y\", \"fileName\": \"f\"}",
        "\uFEFF{\"yaml\": \"x\", \"fileName\": \"f\"}", "{\"yaml\": \"x\", \"fileName\": \"f\"} trailing", "{\"Yaml\": 1e400}", "\0\0\0\0",
    ];

    public static Gen<HostileRequest> Generator(HostileFiles files)
    {
        var raw = Gen.Byte.Array[0, 4096].Select(bytes => new HostileRequest($"{bytes.Length} random bytes", bytes, false));
        var malformed = Gen.Select(Gen.OneOf(Methods), Gen.OneOf(Paths), Gen.OneOf(Versions), Gen.OneOf(Headers).Array[0, 3], Gen.OneOf(Bodies),
            (method, path, version, headers, body) => Request($"{Cut(method)} {Cut(path)} {version} with {string.Join(", ", headers.Select(Cut))} and body {Cut(body)}",
                $"{method} {path} {version}\r\n{string.Join("", headers.Select(h => h + "\r\n"))}\r\n{body}", false));
        var framedBody = Gen.OneOf(Bodies).Select(body => Post($"apply with body {Cut(body)}", body, isRejectedApply: false));
        var truncated = Gen.Select(Gen.OneOf(Bodies), Gen.Int[0, 100], (body, percent) =>
        {
            var full = Encoding.UTF8.GetBytes(PostText(body));
            var cut = full.Length * percent / 100;
            return new HostileRequest($"apply with body {Cut(body)} cut at {percent}%", full[..cut], false);
        });
        var hostileFile = Gen.Select(Gen.Int[0, int.MaxValue], Gen.Frequency((3, Gen.Const(LoadVerdict.FileName)), (1, HostileValues.Content)), (index, fileName) =>
        {
            var file = files.Case(7, index);
            var rejected = !LoadVerdict.Of(file.Text).Accepted;
            // A file the loader accepts would create or change a resource, which is not this test's business: send it
            // only as a file that is certainly rejected, behind a line that is not YAML.
            var yaml = rejected ? file.Text : "{\n" + file.Text;
            var body = $"{{\"yaml\": {JsonString(yaml)}, \"fileName\": {JsonString(fileName)}}}";
            return Post($"apply of hostile case {index} of seed 7 ({Cut(file.ToString())}) as {Cut(fileName)}", body, isRejectedApply: true);
        });
        var pipelined = Gen.Select(Gen.Int[1, 50], Gen.Byte.Array[0, 64], (count, tail) =>
            new HostileRequest($"{count} pipelined GETs and {tail.Length} random bytes",
                [.. Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("GET /v1/redis HTTP/1.1\r\nHost: r\r\n\r\n", count))), .. tail], false));
        var preface = Gen.Const(new HostileRequest("the HTTP/2 preface", Encoding.ASCII.GetBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\0\0\0\x04\0\0\0\0\0"), false));
        return Gen.Frequency((2, raw), (4, malformed), (2, framedBody), (2, truncated), (4, hostileFile), (1, pipelined), (1, preface));
    }

    private static HostileRequest Post(string description, string body, bool isRejectedApply) =>
        new(description, Encoding.UTF8.GetBytes(PostText(body)), isRejectedApply, IsWellFramed: true);

    private static string PostText(string body) =>
        $"POST /v1/apply HTTP/1.1\r\nHost: redoubt\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    private static HostileRequest Request(string description, string text, bool isRejectedApply) =>
        new(description, Encoding.UTF8.GetBytes(text), isRejectedApply);

    /// <summary>A JSON string with everything outside printable ASCII escaped, half surrogate pairs included (a serializer would refuse them).</summary>
    private static string JsonString(string value)
    {
        var json = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            _ = c is '"' or '\\' ? json.Append('\\').Append(c)
                : c is >= ' ' and <= '~' ? json.Append(c)
                : json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
        }

        return json.Append('"').ToString();
    }

    private static string Cut(string text) => text.Length > 60 ? YamlText.DoubleQuoted(text[..60]) + $"...({text.Length})" : YamlText.DoubleQuoted(text);
}
