using System.Security.Cryptography;
using Redoubt.Core;
using Redoubt.Core.Backup;
using Redoubt.Integration.Tests.Infrastructure;
using Redoubt.Model;

namespace Redoubt.Integration.Tests.Local;

/// <summary>The S3 backup store against a real S3-compatible server (s3rver): what it writes, lists, downloads, deletes and refuses.</summary>
public sealed class S3BackupStoreTests
{
    private const string Bucket = "store-tests";

    [Fact]
    public async Task SavedBackupsAreListedOldestFirstFetchedWholeAndPrunedManifestFirst()
    {
        await using var s3 = await S3Server.StartAsync(Bucket);
        using var store = new S3BackupStore(Destination(s3), "default", "cache");
        var scratch = Directory.CreateTempSubdirectory("redoubt-s3-store-").FullName;
        try
        {
            Assert.Empty(await store.ListAsync(CancellationToken.None));
            var saved = new List<(BackupManifest Manifest, byte[] Bytes)>();
            for (var i = 0; i < 3; i++)
            {
                var bytes = RandomNumberGenerator.GetBytes(100_000 + i);
                var file = Path.Combine(scratch, $"snapshot-{i}");
                await File.WriteAllBytesAsync(file, bytes);
                var manifest = new BackupManifest($"20261203T10000{i}Z", "default/cache", DateTimeOffset.Parse($"2026-12-03T10:00:0{i}Z", System.Globalization.CultureInfo.InvariantCulture), bytes.Length, 10 + i, 0, "redis-1", "replica", Convert.ToHexStringLower(SHA256.HashData(bytes)), "7.0.15", 12.5);
                Assert.Equal($"s3://{Bucket}/prod/default/cache/{manifest.Id}.rdb", await store.SaveAsync(manifest, file, CancellationToken.None));
                saved.Add((manifest, bytes));
            }

            // An upload cut short before its manifest: a snapshot alone is not a backup. (s3rver keeps each object as
            // files named after its key; removing the manifest's leaves the snapshot alone in the bucket.)
            var cut = saved[^1].Manifest with { Id = "20261203T110000Z", Time = saved[^1].Manifest.Time.AddHours(1) };
            await File.WriteAllBytesAsync(Path.Combine(scratch, "cut"), saved[^1].Bytes);
            await store.SaveAsync(cut, Path.Combine(scratch, "cut"), CancellationToken.None);
            foreach (var file in Directory.GetFiles(Path.Combine(s3.DataDirectory, Bucket, "prod", "default", "cache"), $"{cut.Id}.json._S3rver_*"))
            {
                File.Delete(file);
            }

            Assert.Contains($"prod/default/cache/{cut.Id}.rdb", s3.Keys("prod/default/cache/"));
            var listed = await store.ListAsync(CancellationToken.None);
            Assert.Equal(saved.Select(s => s.Manifest.Id), listed.Select(m => m.Id));
            Assert.Equal(saved[1].Manifest.Sha256, listed[1].Sha256);
            Assert.Equal(11, listed[1].Keys);

            var fetched = await store.FetchAsync(listed[1], scratch, CancellationToken.None);
            Assert.True(fetched.Temporary);
            Assert.Equal(saved[1].Bytes, await File.ReadAllBytesAsync(fetched.File));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(fetched.File));

            Assert.Equal([saved[0].Manifest.Id], await store.PruneAsync(2, CancellationToken.None));
            Assert.Equal(saved.Skip(1).Select(s => s.Manifest.Id), (await store.ListAsync(CancellationToken.None)).Select(m => m.Id));
            Assert.DoesNotContain(s3.Keys("prod/default/cache/"), k => k.StartsWith($"prod/default/cache/{saved[0].Manifest.Id}", StringComparison.Ordinal));

            // The cut upload's snapshot is young: it could be an upload still running, and stays. Once old, a prune deletes it.
            Assert.Contains($"prod/default/cache/{cut.Id}.rdb", s3.Keys("prod/default/cache/"));
            using (var later = new S3BackupStore(Destination(s3), "default", "cache") { OrphanAge = TimeSpan.Zero })
            {
                Assert.Empty(await later.PruneAsync(2, CancellationToken.None));
            }

            Assert.DoesNotContain($"prod/default/cache/{cut.Id}.rdb", s3.Keys("prod/default/cache/"));
            Assert.Equal(saved.Skip(1).Select(s => s.Manifest.Id), (await store.ListAsync(CancellationToken.None)).Select(m => m.Id));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task AMissingBucketWrongKeysAndAMissingCredentialsFileAreClearErrorsThatShowNoKey()
    {
        await using var s3 = await S3Server.StartAsync(Bucket);
        using (var missing = new S3BackupStore(new S3Destination { Endpoint = s3.Endpoint, Bucket = "no-such-bucket", CredentialsFile = s3.CredentialsFile }, "default", "cache"))
        {
            var error = await Assert.ThrowsAsync<RedoubtException>(() => missing.ListAsync(CancellationToken.None));
            Assert.Equal($"s3://no-such-bucket/default/cache/ at {s3.Endpoint}: list failed: the bucket no-such-bucket does not exist", error.Message);
        }

        var wrong = Path.Combine(Path.GetDirectoryName(s3.CredentialsFile)!, "wrong");
        await File.WriteAllTextAsync(wrong, "[default]\naws_access_key_id = NOBODY\naws_secret_access_key = not-the-secret-1234\n");
        using (var refused = new S3BackupStore(new S3Destination { Endpoint = s3.Endpoint, Bucket = Bucket, CredentialsFile = wrong }, "default", "cache"))
        {
            var error = await Assert.ThrowsAsync<RedoubtException>(() => refused.ListAsync(CancellationToken.None));
            Assert.StartsWith($"s3://{Bucket}/default/cache/ at {s3.Endpoint}: list failed: InvalidAccessKeyId", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("not-the-secret-1234", error.ToString(), StringComparison.Ordinal);
        }

        var absent = Assert.Throws<RedoubtException>(() => new S3BackupStore(new S3Destination { Endpoint = s3.Endpoint, Bucket = Bucket, CredentialsFile = "/nonexistent/credentials" }, "default", "cache"));
        Assert.Equal("spec.backup.s3.credentialsFile: /nonexistent/credentials does not exist (an AWS shared credentials file with a [default] profile is expected)", absent.Message);
    }

    private static S3Destination Destination(S3Server s3) => new() { Endpoint = s3.Endpoint, Bucket = Bucket, Prefix = "prod/", CredentialsFile = s3.CredentialsFile };
}
