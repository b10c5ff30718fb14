using System.Net;
using System.Text.Json;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.CredentialManagement;
using Amazon.S3;
using Amazon.S3.Model;
using Redoubt.Model;

namespace Redoubt.Core.Backup;

/// <summary>
/// Backups in an S3-compatible bucket (<see cref="S3Destination"/>): <c>PREFIX NAMESPACE/NAME/ID.rdb</c>, then its
/// manifest <c>ID.json</c>. An object is whole or absent (S3 has no half-written object), and the manifest goes last,
/// so an upload that fails leaves at most a snapshot without a manifest, which is never listed.
/// Through AWSSDK.S3 with path-style addresses for other servers than Amazon's, and no checksum or chunked-upload
/// extensions that S3-compatible servers do not all speak.
/// </summary>
public sealed class S3BackupStore : IBackupStore
{
    public const string DefaultRegion = "us-east-1";

    private readonly AmazonS3Client _client;
    private readonly string _bucket;
    private readonly string _base;

    public S3BackupStore(S3Destination destination, string @namespace, string name)
    {
        _bucket = destination.Bucket ?? throw new RedoubtException("spec.backup.s3.bucket: is required");
        _base = $"{destination.Prefix}{@namespace}/{name}/";
        Location = LocationOf(destination, @namespace, name);
        var region = destination.Region ?? DefaultRegion;
        var config = new AmazonS3Config
        {
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            MaxErrorRetry = 2,
        };
        if (destination.Endpoint is { } endpoint)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        _client = destination.CredentialsFile is { } file ? new AmazonS3Client(CredentialsFrom(file), config) : new AmazonS3Client(config);
    }

    public string Location { get; }

    /// <summary>Where a resource's backups go, without connecting: s3://bucket/prefix/namespace/name/ (and the server when not Amazon's).</summary>
    public static string LocationOf(S3Destination destination, string @namespace, string name) =>
        $"s3://{destination.Bucket}/{destination.Prefix}{@namespace}/{name}/{(destination.Endpoint is { } endpoint ? $" at {endpoint.TrimEnd('/')}" : "")}";

    /// <summary>The [default] profile of an AWS shared credentials file. Its keys are never part of a message.</summary>
    private static AWSCredentials CredentialsFrom(string path)
    {
        if (!File.Exists(path))
        {
            throw new RedoubtException($"spec.backup.s3.credentialsFile: {path} does not exist (an AWS shared credentials file with a [default] profile is expected)");
        }

        var file = new SharedCredentialsFile(path);
        if (!file.TryGetProfile("default", out var profile) || !AWSCredentialsFactory.TryGetAWSCredentials(profile, file, out var credentials))
        {
            throw new RedoubtException($"spec.backup.s3.credentialsFile: {path} has no [default] profile with aws_access_key_id and aws_secret_access_key");
        }

        return credentials;
    }

    /// <summary>How old a snapshot without its manifest must be before <see cref="PruneAsync"/> deletes it.</summary>
    public TimeSpan OrphanAge { get; init; } = BackupStores.OrphanAge;

    public async Task<IReadOnlyList<BackupManifest>> ListAsync(CancellationToken cancellationToken) =>
        await ManifestsAsync(await KeysAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlyList<BackupManifest>> ManifestsAsync(Dictionary<string, DateTimeOffset> keys, CancellationToken cancellationToken)
    {
        var manifests = new List<BackupManifest>();
        foreach (var key in keys.Keys.Where(k => k.EndsWith(BackupStores.ManifestSuffix, StringComparison.Ordinal)))
        {
            var id = key[_base.Length..^BackupStores.ManifestSuffix.Length];
            if (id.Contains('/', StringComparison.Ordinal) || !keys.ContainsKey(_base + id + BackupStores.SnapshotSuffix))
            {
                continue;
            }

            if (await ReadManifestAsync(key, cancellationToken).ConfigureAwait(false) is { } manifest && manifest.Id == id)
            {
                manifests.Add(manifest);
            }
        }

        return BackupStores.InOrder(manifests);
    }

    /// <summary>Every object under the resource's prefix, with when it was last written.</summary>
    private async Task<Dictionary<string, DateTimeOffset>> KeysAsync(CancellationToken cancellationToken)
    {
        var keys = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await CallAsync("list", () => _client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _base, ContinuationToken = token }, cancellationToken)).ConfigureAwait(false);
            foreach (var item in page.S3Objects ?? [])
            {
                keys[item.Key] = item.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime(), TimeSpan.Zero) : DateTimeOffset.MinValue;
            }

            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return keys;
    }

    private async Task<BackupManifest?> ReadManifestAsync(string key, CancellationToken cancellationToken)
    {
        using var response = await CallAsync("read", () => _client.GetObjectAsync(_bucket, key, cancellationToken)).ConfigureAwait(false);
        try
        {
            return await JsonSerializer.DeserializeAsync<BackupManifest>(response.ResponseStream, BackupStores.ManifestJson, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            // Not one of ours, or damaged: not a backup.
            return null;
        }
    }

    public async Task<string> SaveAsync(BackupManifest manifest, string snapshotFile, CancellationToken cancellationToken)
    {
        var snapshot = _base + manifest.Id + BackupStores.SnapshotSuffix;
        await CallAsync("upload", () => _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = snapshot,
            FilePath = snapshotFile,
            ContentType = "application/octet-stream",
            UseChunkEncoding = false,
        }, cancellationToken)).ConfigureAwait(false);
        await CallAsync("upload", () => _client.PutObjectAsync(new PutObjectRequest
        {
            BucketName = _bucket,
            Key = _base + manifest.Id + BackupStores.ManifestSuffix,
            ContentBody = JsonSerializer.Serialize(manifest, BackupStores.ManifestJson),
            ContentType = "application/json",
            UseChunkEncoding = false,
        }, cancellationToken)).ConfigureAwait(false);
        return $"s3://{_bucket}/{snapshot}";
    }

    public async Task<FetchedSnapshot> FetchAsync(BackupManifest manifest, string scratchDirectory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(scratchDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(scratchDirectory, $"{manifest.Id}.rdb.download");
        // One left by a download a crash cut short: created anew, so that it gets the owner-only mode below.
        File.Delete(path);
        using var response = await CallAsync("download", () => _client.GetObjectAsync(_bucket, _base + manifest.Id + BackupStores.SnapshotSuffix, cancellationToken)).ConfigureAwait(false);
        try
        {
            await using var file = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                BufferSize = 1 << 20,
            });
            await response.ResponseStream.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            File.Delete(path);
            if (e is IOException or HttpRequestException)
            {
                throw new RedoubtException($"{Location}: the download of backup {manifest.Id} failed: {e.Message}", e);
            }

            throw;
        }

        return new FetchedSnapshot(path, Temporary: true);
    }

    public async Task<IReadOnlyList<string>> PruneAsync(int keep, CancellationToken cancellationToken)
    {
        var keys = await KeysAsync(cancellationToken).ConfigureAwait(false);
        var all = await ManifestsAsync(keys, cancellationToken).ConfigureAwait(false);
        // Snapshots alone (an upload cut short before its manifest) are never listed: without this they would stay forever.
        var orphans = keys
            .Where(k => BackupStores.ManifestOf(k.Key) is { } manifest && !keys.ContainsKey(manifest) && k.Value <= DateTimeOffset.UtcNow - OrphanAge)
            .Select(k => k.Key)
            .ToList();
        foreach (var orphan in orphans)
        {
            await CallAsync("delete", () => _client.DeleteObjectAsync(_bucket, orphan, cancellationToken)).ConfigureAwait(false);
        }

        var old = all.Take(Math.Max(0, all.Count - keep)).ToList();
        foreach (var manifest in old)
        {
            // Manifest first: a backup half-deleted is no longer listed.
            await CallAsync("delete", () => _client.DeleteObjectAsync(_bucket, _base + manifest.Id + BackupStores.ManifestSuffix, cancellationToken)).ConfigureAwait(false);
            await CallAsync("delete", () => _client.DeleteObjectAsync(_bucket, _base + manifest.Id + BackupStores.SnapshotSuffix, cancellationToken)).ConfigureAwait(false);
        }

        return [.. old.Select(m => m.Id)];
    }

    /// <summary>One request; what S3 or the network refuses becomes a <see cref="RedoubtException"/> that names the bucket and what was done.</summary>
    private async Task<T> CallAsync<T>(string what, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "NoSuchBucket")
        {
            throw new RedoubtException($"{Location}: {what} failed: the bucket {_bucket} does not exist", e);
        }
        catch (AmazonServiceException e)
        {
            throw new RedoubtException($"{Location}: {what} failed: {e.ErrorCode ?? ((int)e.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture)}: {e.Message}", e);
        }
        catch (Exception e) when (e is AmazonClientException or HttpRequestException or IOException or TaskCanceledException { CancellationToken.IsCancellationRequested: false })
        {
            throw new RedoubtException($"{Location}: {what} failed: {e.Message}", e);
        }
    }

    public void Dispose() => _client.Dispose();
}
