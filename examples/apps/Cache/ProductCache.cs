// Cache-aside with a TTL over a slow source (a product catalogue), on a resource that evicts the least recently used
// keys when full. A miss, an evicted key and an unreachable Redis (a failover) all end the same way: the product comes
// from the source. The caller never sees an error because of the cache.
//
//   ./redoubt up -f examples/apps/cache.yaml          (maxmemoryPolicy: allkeys-lru, maxmemory: 32Mi)
//   ./redoubt credentials cache -o json | dotnet run --project examples/apps -- cache
//   redis-cli -h MASTER -p PORT --pass ... info stats  (evicted_keys grows on the master)
using Redoubt.Examples.Shared;
using StackExchange.Redis;

namespace Redoubt.Examples.Cache;

public sealed class ProductCache(IDatabase redis, TimeSpan ttl)
{
    /// <summary>How long the slow source takes per product.</summary>
    public static readonly TimeSpan SourceLatency = TimeSpan.FromMilliseconds(2);

    /// <summary>Every product is this big: a thousand of them fill the example's maxmemory, so eviction really happens.</summary>
    public const int ProductBytes = 32 * 1024;

    private long _hits;
    private long _misses;
    private long _servedWithoutCache;
    private long _cacheWritesFailed;
    private long _cacheWritesRefused;
    private long _errorsSurfaced;
    private long _wrongValues;

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Reads answered from the source because Redis could not be reached (during a failover).</summary>
    public long ServedWithoutCache => Interlocked.Read(ref _servedWithoutCache);
    public long CacheWritesFailed => Interlocked.Read(ref _cacheWritesFailed);

    /// <summary>Values Redis refused to store (OOM): none when eviction works.</summary>
    public long CacheWritesRefused => Interlocked.Read(ref _cacheWritesRefused);

    /// <summary>Why Redis last refused to store a value.</summary>
    public string? LastRefusal { get; private set; }

    /// <summary>Errors that reached the caller of <see cref="GetAsync"/>: none, by design.</summary>
    public long ErrorsSurfaced => Interlocked.Read(ref _errorsSurfaced);

    /// <summary>Reads that returned something other than what the source holds: none, or the cache is wrong.</summary>
    public long WrongValues => Interlocked.Read(ref _wrongValues);

    public async Task<string> GetAsync(int productId, CancellationToken cancellationToken)
    {
        var key = $"product:{productId}";
        try
        {
            var cached = await redis.StringGetAsync(key).WaitAsync(cancellationToken);
            if (cached.HasValue)
            {
                Interlocked.Increment(ref _hits);
                return cached.ToString();
            }
        }
        catch (Exception e) when (Transient.IsTransient(e))
        {
            // No master for a moment: the source can answer, slower. Not worth retrying a cache.
            Interlocked.Increment(ref _servedWithoutCache);
            return await LoadFromSourceAsync(productId, cancellationToken);
        }

        Interlocked.Increment(ref _misses);
        var product = await LoadFromSourceAsync(productId, cancellationToken);
        try
        {
            // The TTL bounds staleness; under memory pressure allkeys-lru evicts the least recently used first.
            await redis.StringSetAsync(key, product, ttl).WaitAsync(cancellationToken);
        }
        catch (Exception e) when (Transient.IsTransient(e))
        {
            // No master for a moment: the next read misses again.
            Interlocked.Increment(ref _cacheWritesFailed);
        }
        catch (RedisServerException e)
        {
            // OOM: memory is full of what eviction cannot free (a noeviction policy, or a maxmemory not above the
            // replication backlog). Still not the caller's problem, but the cache is not caching: say so.
            Interlocked.Increment(ref _cacheWritesRefused);
            LastRefusal = e.Message;
        }

        return product;
    }

    /// <summary>The slow source: a database, a remote service.</summary>
    public static async Task<string> LoadFromSourceAsync(int productId, CancellationToken cancellationToken)
    {
        await Task.Delay(SourceLatency, cancellationToken);
        return Describe(productId);
    }

    public static string Describe(int productId)
    {
        var head = $"product {productId}: ";
        return head + new string((char)('a' + (productId % 26)), ProductBytes - head.Length);
    }

    /// <summary>
    /// Shoppers browsing until <paramref name="stop"/>: most reads go to a few hundred popular products, the rest to
    /// a long tail that does not fit in memory, as in a real catalogue.
    /// </summary>
    public async Task<AppRun> RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => BrowseAsync(stop), CancellationToken.None)));
        return new AppRun("cache", Hits + Misses + ServedWithoutCache, 0,
            $"{Hits} hits, {Misses} misses, {ServedWithoutCache} served from the source during a failover, {CacheWritesFailed} values not cached during a failover, {CacheWritesRefused} refused by Redis, {ErrorsSurfaced} errors to callers, {WrongValues} wrong values");
    }

    private async Task BrowseAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var id = Random.Shared.Next(2) == 0 ? Random.Shared.Next(200) : Random.Shared.Next(200, 5000);
            try
            {
                if (await GetAsync(id, stop) != Describe(id))
                {
                    Interlocked.Increment(ref _wrongValues);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                Interlocked.Increment(ref _errorsSurfaced);
            }

            await Pace.ThinkAsync(stop);
        }
    }
}
