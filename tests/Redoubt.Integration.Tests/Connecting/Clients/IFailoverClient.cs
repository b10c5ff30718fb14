namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>One client library writing numbered keys through a failover, in this process or in a process of its own.</summary>
internal interface IFailoverClient : IAsyncDisposable
{
    /// <summary>The library, as the results name it.</summary>
    string Name { get; }

    ClientWrites Writes { get; }

    /// <summary>The writer stopped before it was asked to: it exited, or its loop ended.</summary>
    bool StoppedByItself { get; }

    /// <summary>Why it stopped by itself (its exit code and error output, or its loop's exception), once all of that is in.</summary>
    Task<string> HowItStoppedAsync();

    /// <summary>Stops writing and waits until the write in flight, and its report, are done.</summary>
    Task StopAsync();
}
