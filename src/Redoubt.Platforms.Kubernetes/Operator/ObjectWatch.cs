using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Redoubt.Core.Control;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// List, then watch from the list's resourceVersion, keeping a cache of the objects: the informer pattern, small.
/// Each change is reported with the previous version of the object, so handlers can tell what changed. The watch
/// resumes where it stopped; when the server has forgotten that version (410 Gone) or the connection fails, it
/// lists again and reports the difference, so no change is ever missed for good.
/// </summary>
public sealed partial class ObjectWatch<T> where T : class, IKubernetesObject<V1ObjectMeta>
{
    public delegate Task<(IList<T> Items, string ResourceVersion)> ListFunction(CancellationToken ct);

    public delegate IAsyncEnumerable<(WatchEventType, T)> WatchFunction(string resourceVersion, TimeSpan timeout, Action<Exception> onError, CancellationToken ct);

    public delegate void ChangeHandler(WatchEventType type, T? previous, T current);

    private readonly TimeSpan _watchTimeout;
    private readonly string _kind;
    private readonly ListFunction _list;
    private readonly WatchFunction _watch;
    private readonly ChangeHandler _onChange;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ExponentialBackoff _retry = new(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(30));
    private readonly ConcurrentDictionary<string, T> _cache = new();
    private readonly TaskCompletionSource _synced = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="watchTimeout">How long one watch request lasts (<see cref="OperatorOptions.WatchTimeout"/>); null: the default.</param>
    public ObjectWatch(string kind, ListFunction list, WatchFunction watch, ChangeHandler onChange, ILogger logger, TimeProvider time, TimeSpan? watchTimeout = null)
    {
        _watchTimeout = watchTimeout ?? OperatorOptions.DefaultWatchTimeout;
        _kind = kind;
        _list = list;
        _watch = watch;
        _onChange = onChange;
        _logger = logger;
        _time = time;
    }

    /// <summary>Completes once the first list has been reported.</summary>
    public Task Synced => _synced.Task;

    public T? Get(string @namespace, string name) => _cache.GetValueOrDefault(ResourceKey.Of(@namespace, name));

    public IReadOnlyCollection<T> Items => [.. _cache.Values];

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var resourceVersion = await RelistAsync(ct);
                failures = 0;
                await WatchFromAsync(resourceVersion, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var delay = _retry.Delay(failures++);
                LogWatchFailed(_kind, delay.TotalMilliseconds, e);
                try
                {
                    await Task.Delay(delay, _time, ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<string> RelistAsync(CancellationToken ct)
    {
        var (items, resourceVersion) = await _list(ct);
        var seen = new HashSet<string>();
        foreach (var item in items)
        {
            var key = KeyOf(item);
            seen.Add(key);
            var previous = _cache.GetValueOrDefault(key);
            _cache[key] = item;
            if (previous is null || previous.Metadata.ResourceVersion != item.Metadata.ResourceVersion)
            {
                _onChange(previous is null ? WatchEventType.Added : WatchEventType.Modified, previous, item);
            }
        }

        foreach (var key in _cache.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            if (_cache.TryRemove(key, out var gone))
            {
                _onChange(WatchEventType.Deleted, gone, gone);
            }
        }

        _synced.TrySetResult();
        LogListed(_kind, items.Count, resourceVersion);
        return resourceVersion;
    }

    private async Task WatchFromAsync(string resourceVersion, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Exception? failure = null;
            var gone = false;
            var quiet = false;
            var started = _time.GetTimestamp();
            var events = _watch(resourceVersion, _watchTimeout, e =>
            {
                if (e is KubernetesException { Status.Code: (int)HttpStatusCode.Gone })
                {
                    gone = true;
                }
                else if (EndedWithNothingToSay(e))
                {
                    quiet = true;
                }
                else
                {
                    failure ??= e;
                }
            }, ct).GetAsyncEnumerator(ct);
            await using (events)
            {
                while (true)
                {
                    var next = await NextAsync(events);
                    if (next != Next.Event)
                    {
                        quiet |= next == Next.QuietEnd;
                        break;
                    }

                    var (type, item) = events.Current;

                    // The server reports an expired version (410 Gone, "too old resource version") as an ERROR event in
                    // the stream, then ends it: resuming from the same version would only be refused again, forever.
                    if (type == WatchEventType.Error)
                    {
                        gone = true;
                        break;
                    }

                    if (item.Metadata?.ResourceVersion is { Length: > 0 } version)
                    {
                        resourceVersion = version;
                    }

                    if (type == WatchEventType.Bookmark)
                    {
                        continue;
                    }

                    Apply(type, item);
                }
            }

            if (gone)
            {
                LogWatchExpired(_kind, resourceVersion);
                return;
            }

            // A quiet end long before the watch's timeout is not the server's timeout (something answers every watch with
            // an empty stream): a failure, so the retry backs off instead of asking again at once, forever.
            if (quiet && failure is null && _time.GetElapsedTime(started) < _watchTimeout / 2)
            {
                failure = new HttpRequestException($"the watch ended after {_time.GetElapsedTime(started).TotalSeconds:F1} s without a line (its timeout is {_watchTimeout.TotalSeconds:F0} s)");
            }

            if (failure is not null)
            {
                throw new HttpOperationException($"watch of {_kind} failed: {failure.Message}", failure);
            }

            // The server ended the watch (its timeout): resume from the last version seen.
        }
    }

    /// <summary>
    /// A watch the server ended at its timeout without sending a single line (a kind with no change, on a server
    /// without a watch cache, which sends no bookmarks either): KubernetesClient reports it as "Error while copying
    /// content to a stream" over an end of stream where it looked for the first line. It is the normal end of a quiet
    /// watch, to be resumed, not a failure to list again after (seen on a real API server: a warning and a full list of
    /// every quiet kind at each timeout). A connection that breaks ends otherwise (reset, or a response cut short).
    /// </summary>
    internal static bool EndedWithNothingToSay(Exception e) => e is HttpRequestException { InnerException: EndOfStreamException };

    private enum Next
    {
        Event,
        End,
        QuietEnd,
    }

    /// <summary>Whether the watch has another event, ended, or ended quietly (<see cref="EndedWithNothingToSay"/>).</summary>
    private static async Task<Next> NextAsync(IAsyncEnumerator<(WatchEventType, T)> events)
    {
        try
        {
            return await events.MoveNextAsync() ? Next.Event : Next.End;
        }
        catch (HttpRequestException e) when (EndedWithNothingToSay(e))
        {
            return Next.QuietEnd;
        }
    }

    private void Apply(WatchEventType type, T item)
    {
        var key = KeyOf(item);
        if (type == WatchEventType.Deleted)
        {
            _cache.TryRemove(key, out var previous);
            _onChange(type, previous, item);
            return;
        }

        var old = _cache.GetValueOrDefault(key);
        _cache[key] = item;
        _onChange(old is null ? WatchEventType.Added : WatchEventType.Modified, old, item);
    }

    private static string KeyOf(T item) => ResourceKey.Of(item.Metadata.NamespaceProperty ?? "", item.Metadata.Name);
}
