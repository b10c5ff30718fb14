using System.Text;
using System.Text.Json.Nodes;
using Redoubt.Core.Access;
using Redoubt.Kubernetes.Tests.Fakes;
using Redoubt.Model;

namespace Redoubt.Kubernetes.Tests.Operator;

/// <summary>
/// The rotation annotation drives the auth Secret: a new password, the old one kept beside it (hashed in the users'
/// snippets, which Redis and the Sentinels include) until its grace ends, then only the new one.
/// </summary>
public sealed class PasswordRotationTests : IAsyncLifetime
{
    private FakeKubernetesApi _api = null!;

    public async Task InitializeAsync() => _api = await FakeKubernetesApi.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private string? SecretKey(string key) =>
        _api.Store.Get("secrets", "default", "redis-example-auth")?["data"]?[key]?.GetValue<string>() is { } data
            ? Encoding.UTF8.GetString(Convert.FromBase64String(data))
            : null;

    private void Annotate(string key, string value) =>
        _api.Store.Patch("redises", "default", "example", new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = value } } }, status: false, apply: false);

    [Fact]
    public async Task TheAnnotationMakesANewPasswordAndTheSecretKeepsTheOldOneOnlyForTheGrace()
    {
        Cluster.CreateRedis(_api);
        await using var op = new RunningOperator(_api, RunningOperator.Options());
        // Passes keep coming, as the real reconciler's do: the end of the grace needs one.
        op.Reconcilers.RequeueAfter = TimeSpan.FromMilliseconds(200);
        await Cluster.EventuallyAsync(() => SecretKey("password") is not null, "the auth Secret has a password");
        var old = SecretKey("password")!;

        Annotate(ResourceAnnotations.PasswordGrace, "3s");
        Annotate(ResourceAnnotations.PasswordRotatedAt, "2026-01-01T00:00:00Z");

        await Cluster.EventuallyAsync(() => SecretKey("password") != old, "the Secret gets a new password");
        var current = SecretKey("password")!;
        var rotating = RotationRecord.Read(current, SecretKey("password-rotation"));
        Assert.Equal("2026-01-01T00:00:00Z", rotating.Handled);
        Assert.Equal(old, rotating.Retiring?.Password);
        foreach (var snippet in new[] { SecretKey("redis-auth.conf")!, SecretKey("sentinel-auth.conf")! })
        {
            var user = snippet.Split('\n').Single(l => l.StartsWith("user default ", StringComparison.Ordinal));
            Assert.Contains("#" + PasswordHash.Of(current), user, StringComparison.Ordinal);
            Assert.Contains("#" + PasswordHash.Of(old), user, StringComparison.Ordinal);
            Assert.DoesNotContain(old, snippet, StringComparison.Ordinal);
            Assert.DoesNotContain(current, snippet, StringComparison.Ordinal);
        }

        await Cluster.EventuallyAsync(() => RotationRecord.Read(current, SecretKey("password-rotation")).Retiring is null, "the old password leaves the Secret when the grace ends");
        Assert.True(DateTimeOffset.UtcNow >= rotating.Retiring!.Until, "the old password left before its grace ended");
        Assert.Equal(current, SecretKey("password"));
        Assert.DoesNotContain(old, SecretKey("password-rotation"), StringComparison.Ordinal);
        var users = SecretKey("redis-auth.conf")!.Split('\n').Single(l => l.StartsWith("user default ", StringComparison.Ordinal));
        Assert.Contains("#" + PasswordHash.Of(current), users, StringComparison.Ordinal);
        Assert.DoesNotContain("#" + PasswordHash.Of(old), users, StringComparison.Ordinal);

        // The same request again is no new request.
        var passes = op.Reconcilers.Passes.Count;
        Annotate(ResourceAnnotations.PasswordRotatedAt, "2026-01-01T00:00:00Z");
        await Cluster.EventuallyAsync(() => op.Reconcilers.Passes.Count > passes + 2, "more passes");
        Assert.Equal(current, SecretKey("password"));
    }

    [Fact]
    public async Task ABadGraceRotatesNothing()
    {
        Cluster.CreateRedis(_api, annotations: new() { [ResourceAnnotations.PasswordGrace] = "ten minutes" });
        await using var op = new RunningOperator(_api, RunningOperator.Options());
        op.Reconcilers.RequeueAfter = TimeSpan.FromMilliseconds(200);
        await Cluster.EventuallyAsync(() => SecretKey("password") is not null, "the auth Secret has a password");
        var old = SecretKey("password")!;

        Annotate(ResourceAnnotations.PasswordRotatedAt, "now");
        var passes = op.Reconcilers.Passes.Count;
        await Cluster.EventuallyAsync(() => op.Reconcilers.Passes.Count > passes + 2, "passes with the request");

        Assert.Equal(old, SecretKey("password"));
        Assert.Null(RotationRecord.Read(old, SecretKey("password-rotation")).Handled);
    }

    [Fact]
    public async Task AResourceCreatedWithTheAnnotationIsNotRotatedAtOnce()
    {
        Cluster.CreateRedis(_api, annotations: new() { [ResourceAnnotations.PasswordRotatedAt] = "from the start" });
        await using var op = new RunningOperator(_api, RunningOperator.Options());
        op.Reconcilers.RequeueAfter = TimeSpan.FromMilliseconds(200);
        await Cluster.EventuallyAsync(() => SecretKey("password") is not null, "the auth Secret has a password");
        var first = SecretKey("password")!;

        var passes = op.Reconcilers.Passes.Count;
        await Cluster.EventuallyAsync(() => op.Reconcilers.Passes.Count > passes + 2, "more passes");

        Assert.Equal(first, SecretKey("password"));
        Assert.Equal("from the start", RotationRecord.Read(first, SecretKey("password-rotation")).Handled);
    }
}
