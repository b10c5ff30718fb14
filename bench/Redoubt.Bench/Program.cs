using Redoubt.Bench;

var options = BenchOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine(BenchOptions.Usage);
    return 2;
}

var swept = BenchHome.SweepAbandoned();
if (swept > 0)
{
    Console.WriteLine($"killed {swept} process(es) left by an earlier run that was interrupted");
}

// The whole run is bounded; Ctrl-C stops it cleanly (every process the bench started is killed on the way out).
using var stop = new CancellationTokenSource(options.Limit);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

if (options.Command == "fuzz")
{
    // No process and no home: the loader and the renderer, in this process.
    try
    {
        var fuzz = new FuzzCommand(options);
        var files = fuzz.Run(stop.Token);
        return options.ApiRequests > 0 ? Math.Max(files, await fuzz.RunApiAsync(stop.Token)) : files;
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        Console.Error.WriteLine($"stopped (Ctrl-C or the {options.Limit.TotalMinutes:F0}-minute limit)");
        return 130;
    }
}

if (options is { NeedsNamespace: true, InsideNamespace: null })
{
    try
    {
        if (options.Command == "pods")
        {
            await Redoubt.Bench.Pods.PodsCommand.PrepareAsync(stop.Token);
        }

        return await StormNamespace.RunInsideAsync(args, options.Command, stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        Console.Error.WriteLine($"stopped (Ctrl-C or the {options.Limit.TotalMinutes:F0}-minute limit); the {options.Command} run's namespaces and every process it started are removed");
        return 130;
    }
    catch (InvalidOperationException e)
    {
        Console.Error.WriteLine($"the benchmark failed: {e.Message}");
        return 1;
    }
}

using var home = new BenchHome(options.Keep);
AppDomain.CurrentDomain.ProcessExit += (_, _) => Redoubt.Bench.Clusters.Signals.KillEverythingUnder(home.Root);
try
{
    return options.Command switch
    {
        "ready" => await new ReadyCommand(home).RunAsync(stop.Token),
        "storm" => await new StormCommand(options, home).RunAsync(stop.Token),
        "scale" => await new ScaleCommand(options, home).RunAsync(stop.Token),
        "metrics" => await new MetricsCommand(options, home).RunAsync(stop.Token),
        "pods" => await new Redoubt.Bench.Pods.PodsCommand(options, home).RunAsync(stop.Token),
        "dashboard" => await new DashboardCommand(options, home).RunAsync(stop.Token),
        "clients" => await new ClientsCommand(options, home).RunAsync(stop.Token),
        "backup" => await new BackupCommand(options, home).RunAsync(stop.Token),
        "endpoint" => await new EndpointCommand(options, home).RunAsync(stop.Token),
        _ => await new FailoverCommand(options, home).RunAsync(stop.Token),
    };
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    Console.Error.WriteLine($"stopped (Ctrl-C or the {options.Limit.TotalMinutes:F0}-minute limit); every process the bench started is being killed");
    return 130;
}
catch (Exception e) when (e is TimeoutException or InvalidOperationException)
{
    Console.Error.WriteLine($"the benchmark failed: {e.Message}");
    Console.Error.WriteLine($"  control-plane log: {home.ControlPlaneLog}{(options.Keep ? $"; node logs under {home.Root}" : " (run with --keep to keep the node logs)")}");
    return 1;
}
