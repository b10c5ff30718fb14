using System.Collections.Concurrent;
using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Redoubt.Platforms.Kubernetes.Operator;

/// <summary>
/// Kubernetes Events (events.k8s.io/v1) about a Redis object, so <c>kubectl describe redis</c> and
/// <c>kubectl get events</c> tell what Redoubt did and why. The same reason and note are not repeated within
/// <see cref="RepeatAfter"/>: a steady problem makes one event, not one per pass. Failing to record an event never
/// fails a pass.
/// </summary>
public sealed partial class EventRecorder(IKubernetes client, string instance, TimeProvider time, ILogger<EventRecorder> logger)
{
    public const string Controller = "redoubt.io/operator";
    public static readonly TimeSpan RepeatAfter = TimeSpan.FromMinutes(10);

    private readonly ILogger _logger = logger;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _recent = new();

    public async Task RecordAsync(RedisObject regarding, string type, string reason, string note, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var dedup = $"{regarding.Metadata.Uid}\0{type}\0{reason}\0{note}";
        if (_recent.TryGetValue(dedup, out var last) && now - last < RepeatAfter)
        {
            return;
        }

        _recent[dedup] = now;
        var item = new Eventsv1Event
        {
            ApiVersion = "events.k8s.io/v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = $"{regarding.Metadata.Name}.{now.ToUnixTimeMilliseconds().ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000).ToString("x3", CultureInfo.InvariantCulture)}",
                NamespaceProperty = regarding.Metadata.NamespaceProperty,
            },
            EventTime = now.UtcDateTime,
            ReportingController = Controller,
            ReportingInstance = instance,
            Action = reason,
            Reason = reason,
            Type = type,
            Note = note.Length > 1000 ? note[..1000] : note,
            Regarding = new V1ObjectReference
            {
                ApiVersion = regarding.ApiVersion,
                Kind = regarding.Kind,
                Name = regarding.Metadata.Name,
                NamespaceProperty = regarding.Metadata.NamespaceProperty,
                Uid = regarding.Metadata.Uid,
                ResourceVersion = regarding.Metadata.ResourceVersion,
            },
        };
        try
        {
            await client.EventsV1.CreateNamespacedEventAsync(item, regarding.Metadata.NamespaceProperty, cancellationToken: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEventFailed(regarding.Key, reason, e);
        }
    }

    /// <summary>Drops what is remembered of a deleted resource.</summary>
    public void Forget(string uid)
    {
        foreach (var key in _recent.Keys.Where(k => k.StartsWith(uid + "\0", StringComparison.Ordinal)))
        {
            _recent.TryRemove(key, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Resource}: could not record event {Reason}")]
    private partial void LogEventFailed(string resource, string reason, Exception exception);
}
