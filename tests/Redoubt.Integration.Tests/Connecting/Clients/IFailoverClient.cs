namespace Redoubt.Integration.Tests.Connecting.Clients;

/// <summary>One client library writing numbered keys through a failover, in this process or in a process of its own.</summary>
internal interface IFailoverClient : IAsyncDisposable
{
    /// <summary>The library, as the results name it.</summary>
    string Name { get; }

    ClientWrites Writes { get; }

    /// <summary>Why the writer stopped before it was asked to (its exit code and error output); null while it runs.</summary>
    string? StoppedBecause { get; }

    /// <summary>Stops writing and waits until the write in flight, and its report, are done.</summary>
    Task StopAsync();
}
