namespace Redoubt.Bench.Writers;

/// <summary>Writes seq:N, seq:N+1, … one at a time, as fast as it can, and logs every acknowledgement.</summary>
internal interface ISequenceWriter : IAsyncDisposable
{
    AckLog Log { get; }

    /// <summary>Writes that failed (timeouts, errors, refused connections); each is retried at once with the next number.</summary>
    long Failures { get; }

    void Start();

    Task StopAsync();
}
