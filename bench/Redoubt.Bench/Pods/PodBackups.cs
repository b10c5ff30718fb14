using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Redoubt.Bench.Resp;
using Redoubt.Bench.Scenarios;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Kubernetes.Cluster.Tests.Cluster;
using Redoubt.Model;

namespace Redoubt.Bench.Pods;

/// <summary>
/// Backups and restores on the run's pods, end to end: an S3-compatible bucket (s3rver) on an address of the run's
/// namespace, its credentials in a Secret, spec.backup added to the resource; a dataset of every type written to the
/// master; a backup asked for with the annotation, taken by a Job of the operator's image on a node; a FLUSHALL; the
/// restore asked for with the annotations, by another Job; every key and TTL checked back. Figures: each Job's time
/// from the annotation to the status, the backup's size, its source and duration, the keys restored.
/// </summary>
internal sealed class PodBackups(IKubernetes admin, string @namespace, string resource)
{
    private const string Bucket = "pods-backups";
    private const string CredentialsSecret = "backup-bucket";
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private const int Strings = 20_000;
    private const int PerType = 500;

    public async Task<IReadOnlyList<string>> RunAsync(string master, string password, CancellationToken ct)
    {
        var lines = new List<string>();
        await using var s3 = await S3Server.StartAsync(Bucket, PodNodes.ApiServerAddress.ToString()).ConfigureAwait(false);
        await admin.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = CredentialsSecret },
            StringData = new Dictionary<string, string> { ["credentials"] = await File.ReadAllTextAsync(s3.CredentialsFile, ct).ConfigureAwait(false) },
        }, @namespace, cancellationToken: ct).ConfigureAwait(false);
        await PatchAsync(new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["backup"] = new JsonObject
                {
                    ["retention"] = 3,
                    ["s3"] = new JsonObject { ["endpoint"] = s3.Endpoint, ["bucket"] = Bucket, ["credentialsSecret"] = CredentialsSecret },
                },
            },
        }, ct).ConfigureAwait(false);

        // From an empty master: the faults before this part leave their writers' keys.
        await Keys.FlushAsync(master, password, ct).ConfigureAwait(false);
        var written = await WriteAsync(master, password, ct).ConfigureAwait(false);
        lines.Add($"backups: {written} keys written to the master {master} (strings, hashes, lists, sets, sorted sets, streams, keys with a TTL); bucket {s3.Endpoint}");

        var asked = Stopwatch.StartNew();
        await AnnotateAsync(new() { [ResourceAnnotations.BackupRequestedAt] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) }, ct).ConfigureAwait(false);
        var backup = await UntilAsync("status.backup.last", status => status?["backup"]?["last"]?.GetValue<string>() is { } ? status["backup"] : null,
            status => status?["backup"]?["lastFailure"]?.GetValue<string>(), ct).ConfigureAwait(false);
        var id = backup["last"]!.GetValue<string>();
        var keys = s3.Keys($"{@namespace}/{resource}/");
        if (!keys.Contains($"{@namespace}/{resource}/{id}.rdb") || !keys.Contains($"{@namespace}/{resource}/{id}.json"))
        {
            throw new InvalidOperationException($"backup {id} is in the status but not in the bucket: {string.Join(", ", keys)}");
        }

        lines.Add($"backups: backup {id} in the status {asked.Elapsed.TotalSeconds:F1} s after the annotation (Job created, its pod scheduled and run, reported, written): "
            + $"{backup["lastSizeBytes"]} bytes, taken in {backup["lastDurationMs"]?.GetValue<double>():F0} ms; {await EventAsync("BackedUp", ct).ConfigureAwait(false)}");

        await Keys.FlushAsync(master, password, ct).ConfigureAwait(false);
        using (var check = await RespConnection.ConnectAsync(master, password, Timeout, ct).ConfigureAwait(false))
        {
            var size = (await check.CommandAsync(Timeout, ct, "DBSIZE").ConfigureAwait(false)).ThrowIfError().Text;
            lines.Add($"backups: FLUSHALL on the master: DBSIZE {size}");
        }

        asked.Restart();
        await AnnotateAsync(new() { [ResourceAnnotations.RestoreFrom] = id, [ResourceAnnotations.RestoreConfirm] = resource }, ct).ConfigureAwait(false);
        var restore = await UntilAsync("the restore Succeeded", status => status?["backup"]?["restore"] is { } r && r["state"]?.GetValue<string>() == "Succeeded" ? r : null,
            status => status?["backup"]?["restore"]?["state"]?.GetValue<string>() == "Failed" ? status["backup"]!["restore"]!["message"]?.GetValue<string>() : null, ct).ConfigureAwait(false);
        var restored = restore["keysRestored"]?.GetValue<long>();
        if (restored != written)
        {
            throw new InvalidOperationException($"the restore reports {restored} keys restored of {written} written: {restore}");
        }

        await CheckAsync(master, password, written, ct).ConfigureAwait(false);
        lines.Add($"backups: restore of {id} Succeeded {asked.Elapsed.TotalSeconds:F1} s after the annotations: {restore["message"]}; every key, value and TTL checked on the master");
        lines.Add(await CopyAsync(id, master, password, written, ct).ConfigureAwait(false));

        // The schedule: every minute, so the run sees one fire.
        asked.Restart();
        await PatchAsync(new JsonObject { ["spec"] = new JsonObject { ["backup"] = new JsonObject { ["schedule"] = "* * * * *" } } }, ct).ConfigureAwait(false);
        var next = await UntilAsync("status.backup.nextTime", status => status?["backup"]?["nextTime"], _ => null, ct).ConfigureAwait(false);
        var scheduled = await UntilAsync("a scheduled backup", status => status?["backup"]?["last"]?.GetValue<string>() is { } last && last != id ? status["backup"] : null,
            status => status?["backup"]?["lastFailure"]?.GetValue<string>(), ct).ConfigureAwait(false);
        lines.Add($"backups: schedule \"* * * * *\" set; first due {next}; backup {scheduled["last"]} in the status {asked.Elapsed.TotalSeconds:F1} s after the schedule was set, {scheduled["count"]} kept, next due {scheduled["nextTime"]}");
        var jobs = await admin.BatchV1.ListNamespacedJobAsync(@namespace, cancellationToken: ct).ConfigureAwait(false);
        lines.Add($"backups: {jobs.Items.Count} Job(s) left (finished ones are deleted once their report is in the status)");
        return lines;
    }

    /// <summary>
    /// A new resource made from the backup (restoreFrom SOURCE/ID on its object; the bucket is the source's), while a
    /// writer keeps writing to the source: every write it had acknowledged is on the source after, and the copy holds
    /// the backup's keys.
    /// </summary>
    private async Task<string> CopyAsync(string id, string master, string password, long written, CancellationToken ct)
    {
        const string Copy = "bench-copy";
        var clock = Stopwatch.StartNew();
        await admin.CustomObjects.CreateNamespacedCustomObjectAsync(new JsonObject
        {
            ["apiVersion"] = RedisResource.ApiVersionValue,
            ["kind"] = RedisResource.KindValue,
            ["metadata"] = new JsonObject
            {
                ["name"] = Copy,
                ["annotations"] = new JsonObject { [ResourceAnnotations.RestoreFrom] = $"{resource}/{id}", [ResourceAnnotations.RestoreConfirm] = Copy },
            },
            // No claims: this run made local volumes for the first resource only. v7: the only Redis image the nodes have.
            ["spec"] = new JsonObject { ["replicas"] = 2, ["size"] = "", ["resourcesPreset"] = "small", ["version"] = "v7" },
        }, RedisCrd.Group, RedisCrd.Version, @namespace, RedisCrd.Plural, cancellationToken: ct).ConfigureAwait(false);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var acknowledged = new List<string>();
        var writer = Task.Run(async () =>
        {
            using var connection = await RespConnection.ConnectAsync(master, password, Timeout, ct).ConfigureAwait(false);
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"live:{i}";
                (await connection.CommandAsync(Timeout, ct, "SET", key, "1").ConfigureAwait(false)).ThrowIfError();
                acknowledged.Add(key);
            }
        }, ct);
        JsonNode restore;
        try
        {
            restore = await UntilAsync(Copy, "the copy's restore Succeeded", status => status?["backup"]?["restore"] is { } r && r["state"]?.GetValue<string>() == "Succeeded" ? r : null,
                status => status?["backup"]?["restore"]?["state"]?.GetValue<string>() is "Failed" or "Refused" ? status["backup"]!["restore"]!["message"]?.GetValue<string>() : null, ct).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await writer.ConfigureAwait(false);
        }

        var copyMaster = (await admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonNode>(RedisCrd.Group, RedisCrd.Version, @namespace, RedisCrd.Plural, Copy, cancellationToken: ct).ConfigureAwait(false))["status"]?["master"]?.GetValue<string>()
            ?? throw new InvalidOperationException($"{Copy} names no master after its restore");
        await CheckAsync(copyMaster, await PodsCommand.PasswordAsync(admin, Copy, ct).ConfigureAwait(false), written, ct).ConfigureAwait(false);
        var missing = await Keys.MissingAsync(master, password, [.. acknowledged.Select(k => long.Parse(k[5..], CultureInfo.InvariantCulture))], ct, prefix: "live:").ConfigureAwait(false);
        if (missing > 0)
        {
            throw new InvalidOperationException($"{missing} of {acknowledged.Count} writes acknowledged by {resource} during the copy's restore are missing");
        }

        await admin.CustomObjects.DeleteNamespacedCustomObjectAsync(RedisCrd.Group, RedisCrd.Version, @namespace, RedisCrd.Plural, Copy, cancellationToken: ct).ConfigureAwait(false);
        return $"backups: new resource {Copy} from {resource}/{id}: Ready and restored {clock.Elapsed.TotalSeconds:F1} s after it was created ({restore["message"]}), every key checked on its master; "
            + $"{resource} meanwhile acknowledged {acknowledged.Count} writes, 0 missing; {Copy} deleted";
    }

    /// <summary>Keys of every type, some with a TTL; returns how many.</summary>
    private static async Task<long> WriteAsync(string master, string password, CancellationToken ct)
    {
        using var connection = await RespConnection.ConnectAsync(master, password, Timeout, ct).ConfigureAwait(false);
        foreach (var batch in Enumerable.Range(0, Strings).Chunk(1000))
        {
            (await connection.CommandAsync(Timeout, ct, ["MSET", .. batch.SelectMany(i => new[] { $"string:{i}", $"value-{i}" })]).ConfigureAwait(false)).ThrowIfError();
        }

        for (var i = 0; i < PerType; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            foreach (var command in new[]
            {
                new[] { "HSET", $"hash:{n}", "a", n, "b", "two" },
                ["RPUSH", $"list:{n}", "x", "y", n],
                ["SADD", $"set:{n}", "p", "q", n],
                ["ZADD", $"zset:{n}", n, "alice", "1000", "bob"],
                ["XADD", $"stream:{n}", "*", "field", n],
                ["SET", $"ttl:{n}", "expiring", "EX", "3600"],
            })
            {
                (await connection.CommandAsync(Timeout, ct, command).ConfigureAwait(false)).ThrowIfError();
            }
        }

        return Strings + (PerType * 6);
    }

    private static async Task CheckAsync(string master, string password, long written, CancellationToken ct)
    {
        using var connection = await RespConnection.ConnectAsync(master, password, Timeout, ct).ConfigureAwait(false);
        async Task<RespReply> Run(params string[] command) => (await connection.CommandAsync(Timeout, ct, command).ConfigureAwait(false)).ThrowIfError();
        void Expect(bool ok, string what)
        {
            if (!ok)
            {
                throw new InvalidOperationException($"after the restore: {what}");
            }
        }

        Expect((await Run("DBSIZE")).Text == written.ToString(CultureInfo.InvariantCulture), $"DBSIZE is not {written}");
        foreach (var i in new[] { 0, 1, Strings / 2, Strings - 1 })
        {
            Expect((await Run("GET", $"string:{i}")).Text == $"value-{i}", $"string:{i} differs");
        }

        foreach (var i in new[] { 0, PerType - 1 })
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            Expect((await Run("HGET", $"hash:{n}", "a")).Text == n, $"hash:{n} differs");
            Expect((await Run("LINDEX", $"list:{n}", "2")).Text == n, $"list:{n} differs");
            Expect((await Run("SISMEMBER", $"set:{n}", n)).Text == "1", $"set:{n} differs");
            Expect((await Run("ZSCORE", $"zset:{n}", "bob")).Text == "1000", $"zset:{n} differs");
            Expect((await Run("XLEN", $"stream:{n}")).Text == "1", $"stream:{n} differs");
            var ttl = long.Parse((await Run("TTL", $"ttl:{n}")).Text ?? "-3", CultureInfo.InvariantCulture);
            Expect(ttl is > 3000 and <= 3600, $"ttl:{n} has TTL {ttl}, not within the hour it was given");
        }
    }

    private async Task PatchAsync(JsonObject patch, CancellationToken ct) =>
        await admin.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            RedisCrd.Group, RedisCrd.Version, @namespace, RedisCrd.Plural, resource, cancellationToken: ct).ConfigureAwait(false);

    private Task AnnotateAsync(Dictionary<string, string> annotations, CancellationToken ct)
    {
        var values = new JsonObject();
        foreach (var (key, value) in annotations)
        {
            values[key] = value;
        }

        return PatchAsync(new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = values } }, ct);
    }

    /// <summary>Polls the status until <paramref name="done"/> gives a value; fails at once when <paramref name="failed"/> says why.</summary>
    private Task<JsonNode> UntilAsync(string what, Func<JsonNode?, JsonNode?> done, Func<JsonNode?, string?> failed, CancellationToken ct) =>
        UntilAsync(resource, what, done, failed, ct);

    private async Task<JsonNode> UntilAsync(string name, string what, Func<JsonNode?, JsonNode?> done, Func<JsonNode?, string?> failed, CancellationToken ct)
    {
        JsonNode? status = null;
        try
        {
            return await Poll.UntilAsync(what, async () =>
            {
                var item = await admin.CustomObjects.GetNamespacedCustomObjectAsync<JsonNode>(RedisCrd.Group, RedisCrd.Version, @namespace, RedisCrd.Plural, name, cancellationToken: ct).ConfigureAwait(false);
                status = item["status"];
                return failed(status) is { } reason ? throw new InvalidOperationException($"waiting for {what}: {reason}") : done(status);
            }, Deadline, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // What the resource's pods are doing says why, when the status cannot.
            var pods = await admin.CoreV1.ListNamespacedPodAsync(@namespace, labelSelector: $"{Redoubt.Platforms.Kubernetes.Manifests.Labels.Resource}={name}", cancellationToken: ct).ConfigureAwait(false);
            var states = string.Join("; ", pods.Items.Select(p => $"{p.Metadata.Name} {p.Status?.Phase} "
                + string.Join(" ", (p.Status?.Conditions ?? []).Where(c => c.Status != "True").Select(c => $"{c.Type}: {c.Reason} {c.Message}"))
                + string.Join(" ", (p.Status?.ContainerStatuses ?? []).Where(c => c.State?.Waiting is not null).Select(c => $"{c.Name} waiting: {c.State.Waiting.Reason} {c.State.Waiting.Message}"))));
            throw new TimeoutException($"no {what} within {Deadline.TotalMinutes:F0} minutes; status.backup: {status?["backup"]?.ToJsonString()}; phase {status?["phase"]}; pods: {(states.Length > 0 ? states : "none")}");
        }
    }

    private async Task<string> EventAsync(string reason, CancellationToken ct)
    {
        var list = await admin.CustomObjects.ListNamespacedCustomObjectAsync<JsonNode>("events.k8s.io", "v1", @namespace, "events", cancellationToken: ct).ConfigureAwait(false);
        return list["items"]!.AsArray().Where(e => e?["reason"]?.GetValue<string>() == reason).Select(e => $"event {reason}: {e!["note"]}").LastOrDefault() ?? $"no {reason} event";
    }
}
