// A Redoubt Redis in an Aspire AppHost. Projects that reference it get ConnectionStrings__cache (the master endpoint
// and the password) and, with WaitFor, start once Redoubt reports it Ready:
//
//     builder.AddProject<Projects.Web>("web").WithReference(cache).WaitFor(cache);
//
// Redoubt:ZoneNetwork, Redoubt:PortBase and Redoubt:Home (configuration or command line) move it off the defaults.
var builder = DistributedApplication.CreateBuilder(args);

var cache = builder.AddRedoubtRedis("cache", options =>
{
    options.Replicas = 3;
    options.Spec.Add("persistenceMode: aof");
    options.ZoneNetwork = builder.Configuration["Redoubt:ZoneNetwork"] ?? options.ZoneNetwork;
    options.Home = builder.Configuration["Redoubt:Home"];
    if (int.TryParse(builder.Configuration["Redoubt:PortBase"], System.Globalization.CultureInfo.InvariantCulture, out var port))
    {
        options.PortBase = port;
    }
});

builder.Build().Run();
