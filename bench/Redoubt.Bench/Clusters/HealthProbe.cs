using System.Globalization;
using Redoubt.Bench.Resp;

namespace Redoubt.Bench.Clusters;

/// <summary>
/// "Fully healthy", judged the same way for both setups from the outside: every Sentinel names the same master,
/// sees it as up, knows the other Sentinels and all replicas as up; the master has every replica online; each
/// replica's link to the master is up.
/// </summary>
internal sealed class HealthProbe(IReadOnlyList<string> sentinels, string masterName, string? password, int replicas)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMilliseconds(500);

    public sealed record Verdict(bool Healthy, string? Master, string Detail);

    public async Task<Verdict> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            string? master = null;
            foreach (var sentinel in sentinels)
            {
                using var connection = await RespConnection.ConnectAsync(sentinel, password, Timeout, cancellationToken).ConfigureAwait(false);
                var fields = (await connection.CommandAsync(Timeout, cancellationToken, "SENTINEL", "MASTER", masterName).ConfigureAwait(false)).ThrowIfError().AsFields();
                var named = $"{fields.GetValueOrDefault("ip")}:{fields.GetValueOrDefault("port")}";
                if (master is not null && master != named)
                {
                    return new(false, null, $"Sentinels disagree: {master} and {named}");
                }

                master = named;
                if (fields.GetValueOrDefault("flags") != "master" || fields.GetValueOrDefault("num-other-sentinels") != (sentinels.Count - 1).ToString(CultureInfo.InvariantCulture))
                {
                    return new(false, master, $"{sentinel}: flags {fields.GetValueOrDefault("flags")}, {fields.GetValueOrDefault("num-other-sentinels")} other Sentinels");
                }

                var known = (await connection.CommandAsync(Timeout, cancellationToken, "SENTINEL", "REPLICAS", masterName).ConfigureAwait(false)).ThrowIfError().Array;
                var up = known.Count(r => r.AsFields().GetValueOrDefault("flags") == "slave");
                if (up != replicas || known.Count != replicas)
                {
                    return new(false, master, $"{sentinel}: {up} of {known.Count} known replicas up, {replicas} expected");
                }
            }

            using var node = await RespConnection.ConnectAsync(master!, password, Timeout, cancellationToken).ConfigureAwait(false);
            var info = (await node.CommandAsync(Timeout, cancellationToken, "INFO", "replication").ConfigureAwait(false)).ThrowIfError().Text ?? "";
            var lines = info.Split("\r\n");
            var online = lines.Where(l => l.StartsWith("slave", StringComparison.Ordinal) && l.Contains("state=online", StringComparison.Ordinal)).ToList();
            if (!lines.Contains("role:master") || online.Count != replicas)
            {
                return new(false, master, $"master {master}: {online.Count} replicas online");
            }

            foreach (var line in online)
            {
                var fields = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Split(',').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "", StringComparer.Ordinal);
                var address = $"{fields["ip"]}:{fields["port"]}";
                using var replica = await RespConnection.ConnectAsync(address, password, Timeout, cancellationToken).ConfigureAwait(false);
                var role = (await replica.CommandAsync(Timeout, cancellationToken, "ROLE").ConfigureAwait(false)).ThrowIfError().Array;
                if (role.Count < 4 || role[0].Text != "slave" || $"{role[1].Text}:{role[2].Integer}" != master || role[3].Text != "connected")
                {
                    return new(false, master, $"replica {address}: not linked to {master}");
                }
            }

            return new(true, master, "healthy");
        }
        catch (Exception e) when (RespFailure.Is(e))
        {
            return new(false, null, e.Message);
        }
    }

    /// <summary>The master as the first answering Sentinel names it.</summary>
    public async Task<string?> MasterAsync(CancellationToken cancellationToken)
    {
        foreach (var sentinel in sentinels)
        {
            try
            {
                using var connection = await RespConnection.ConnectAsync(sentinel, password, Timeout, cancellationToken).ConfigureAwait(false);
                var reply = await connection.CommandAsync(Timeout, cancellationToken, "SENTINEL", "GET-MASTER-ADDR-BY-NAME", masterName).ConfigureAwait(false);
                if (reply.Array is [{ Text: { } host }, { Text: { } port }])
                {
                    return $"{host}:{port}";
                }
            }
            catch (Exception e) when (RespFailure.Is(e))
            {
                // Ask the next one.
            }
        }

        return null;
    }
}
