using Redoubt.Core.Telemetry;

namespace Redoubt.Core.Control;

/// <summary>How a <see cref="ControlLoop{TItem}"/> runs; each platform picks values that suit it.</summary>
public sealed record ControlLoopOptions
{
    /// <summary>Passes that run at once, each on a different resource.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>The delay before a failed pass is tried again, growing with each failure in a row.</summary>
    public ExponentialBackoff Backoff { get; init; } = ExponentialBackoff.Default;

    /// <summary>How long passes in flight may run once stopping begins before they are cancelled.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Where pass durations, errors, the queue's depth and gone resources are reported (metrics).</summary>
    public IControlPlaneTelemetry Telemetry { get; init; } = NoTelemetry.Instance;
}
