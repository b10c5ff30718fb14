using System.IO.Compression;
using System.Reflection;
using System.Xml.Linq;
using Redoubt.Client.Tests.Infrastructure;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace Redoubt.Client.Tests.Packaging;

/// <summary>
/// The packages as users get them: packed from the build into a scratch folder, the tool installed from there and
/// run, and a new console application that references Redoubt.Client from that folder connecting through
/// AddRedoubtRedis to a real resource. Each run packs a version of its own, so no earlier package in the NuGet cache
/// stands in for the one just packed; everything it creates is removed at the end.
/// </summary>
public sealed class InstalledPackagesTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly string Configuration =
        typeof(InstalledPackagesTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    private readonly string _scratch = Directory.CreateTempSubdirectory("redoubt-packages-").FullName;
    private readonly string _version = $"0.0.0-installtest.{Guid.NewGuid():N}"[..32];

    private string Feed => Path.Combine(_scratch, "feed");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured
            ? configured
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var id in new[] { "redoubt", "redoubt.client" })
        {
            var unpacked = Path.Combine(cache, id, _version);
            if (Directory.Exists(unpacked))
            {
                Directory.Delete(unpacked, recursive: true);
            }

            // The package's folder itself when this run made it (no real version of it was ever restored here).
            if (Directory.Exists(Path.Combine(cache, id)) && !Directory.EnumerateFileSystemEntries(Path.Combine(cache, id)).Any())
            {
                Directory.Delete(Path.Combine(cache, id));
            }
        }

        return Task.CompletedTask;
    }

    [Fact]
    public async Task TheToolAndTheClientPackageInstallFromTheirPackagesAndWork()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var repository = RepositoryRoot();
        await using var resource = await LocalResource.StartAsync(output, "installed");

        // Packed from this build, as `dotnet pack` would after it.
        foreach (var project in new[] { "src/Redoubt.Client", "src/Redoubt", "src/Redoubt.Aspire.Hosting" })
        {
            var pack = await Dotnet.RunAsync("dotnet", ["pack", Path.Combine(repository, project), "-c", Configuration, "--no-build", "-o", Feed, $"-p:PackageVersion={_version}", "-v", "quiet"], repository, deadline.Token);
            Assert.True(pack.ExitCode == 0, pack.Describe($"dotnet pack {project}"));
        }

        AssertClientPackage(Path.Combine(Feed, $"Redoubt.Client.{_version}.nupkg"));
        Assert.True(File.Exists(Path.Combine(Feed, $"Redoubt.Client.{_version}.snupkg")), "no symbols package for Redoubt.Client");
        AssertAspirePackage(Path.Combine(Feed, $"Redoubt.Aspire.Hosting.{_version}.nupkg"));

        // The tool, from the folder, and run from where it was installed.
        var tools = Path.Combine(_scratch, "tools");
        var install = await Dotnet.RunAsync("dotnet", ["tool", "install", "--tool-path", tools, "--add-source", Feed, "--version", _version, "redoubt"], _scratch, deadline.Token);
        Assert.True(install.ExitCode == 0, install.Describe("dotnet tool install redoubt"));
        var redoubt = Path.Combine(tools, "redoubt");

        var help = await Dotnet.RunAsync(redoubt, ["--help"], _scratch, deadline.Token);
        Assert.True(help.ExitCode == 0, help.Describe("the installed redoubt --help"));
        Assert.Contains("Usage:", help.Output, StringComparison.Ordinal);
        Assert.Contains("credentials", help.Output, StringComparison.Ordinal);

        var render = await Dotnet.RunAsync(redoubt, ["render", "-f", Path.Combine(repository, "examples", "redis.yaml")], _scratch, deadline.Token);
        Assert.True(render.ExitCode == 0, render.Describe("the installed redoubt render -f examples/redis.yaml"));
        Assert.Contains("kind: StatefulSet", render.Output, StringComparison.Ordinal);
        Assert.Contains("kind: Secret", render.Output, StringComparison.Ordinal);

        // An application that knows nothing of this repository: its own project, the packed folder as a source next to
        // the machine's configured ones, and its settings in appsettings.json (the password in a file, never on a command line).
        var application = WriteApplication(resource);
        var value = Guid.NewGuid().ToString("N");
        var run = await Dotnet.RunAsync("dotnet", ["run", "-c", "Release", "--", Path.Combine(application, "appsettings.json"), value], application, deadline.Token);
        Assert.True(run.ExitCode == 0, run.Describe("the application referencing Redoubt.Client"));
        Assert.Contains($"wrote {value}", run.Output, StringComparison.Ordinal);

        // What it wrote is on the resource's master, read back by a connection of the test's own.
        await using var check = await ConnectionMultiplexer.ConnectAsync(SentinelClientSettings.Create(resource.Credentials.Sentinels, resource.Credentials.MasterName, resource.Credentials.Password));
        Assert.Equal(value, (string?)await check.GetDatabase().StringGetAsync("installed-package"));
    }

    private void AssertClientPackage(string package)
    {
        Assert.True(File.Exists(package), $"no {package}; the feed holds: {string.Join(", ", Directory.GetFiles(Feed).Select(Path.GetFileName))}");
        using var archive = ZipFile.OpenRead(package);
        Assert.NotNull(archive.GetEntry("README.md"));
        Assert.NotNull(archive.GetEntry("lib/net10.0/Redoubt.Client.dll"));
        using var nuspec = archive.GetEntry("Redoubt.Client.nuspec")!.Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Field(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value;
        Assert.Equal(_version, Field("version"));
        Assert.Equal("README.md", Field("readme"));
        Assert.Equal("Apache-2.0", Field("license"));
        Assert.False(string.IsNullOrWhiteSpace(Field("authors")));
        Assert.False(string.IsNullOrWhiteSpace(Field("description")));
        Assert.Contains("sentinel", Field("tags") ?? "", StringComparison.Ordinal);
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
        Assert.Contains("StackExchange.Redis", dependencies);
        Assert.Contains("Microsoft.Extensions.DependencyInjection.Abstractions", dependencies);
    }

    /// <summary>
    /// The Aspire integration carries Redoubt's own assemblies (not published as packages of their own) and depends on
    /// nothing but published packages, so an AppHost can restore it from a feed.
    /// </summary>
    private static void AssertAspirePackage(string package)
    {
        Assert.True(File.Exists(package), $"no {package}");
        using var archive = ZipFile.OpenRead(package);
        Assert.NotNull(archive.GetEntry("README.md"));
        foreach (var assembly in new[] { "Redoubt.Aspire.Hosting", "Redoubt.Platforms.Local", "Redoubt.Core", "Redoubt.Model" })
        {
            Assert.True(archive.GetEntry($"lib/net10.0/{assembly}.dll") is not null, $"{assembly}.dll is not in the package");
        }

        using var nuspec = archive.GetEntry("Redoubt.Aspire.Hosting.nuspec")!.Open();
        var dependencies = XDocument.Load(nuspec).Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => e.Attribute("id")!.Value).ToList();
        Assert.Contains("Aspire.Hosting", dependencies);
        Assert.Contains("YamlDotNet", dependencies);
        Assert.DoesNotContain(dependencies, d => d.StartsWith("Redoubt", StringComparison.Ordinal));
    }

    private string WriteApplication(LocalResource resource)
    {
        var folder = Path.Combine(_scratch, "application");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <!-- Added to the machine's configured sources, which give everything else. -->
                <add key="packed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(folder, "application.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Redoubt.Client" Version="{_version}" />
                <PackageReference Include="Microsoft.Extensions.Configuration.Json" Version="11.0.0" />
                <PackageReference Include="Microsoft.Extensions.DependencyInjection" Version="11.0.0" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(folder, "Program.cs"), """
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            using StackExchange.Redis;

            var configuration = new ConfigurationBuilder().AddJsonFile(args[0]).Build();
            await using var services = new ServiceCollection().AddRedoubtRedis(configuration.GetSection("Redis")).BuildServiceProvider();
            var db = services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                try
                {
                    await db.StringSetAsync("installed-package", args[1]);
                    break;
                }
                catch (RedisConnectionException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(50);
                }
            }
            Console.WriteLine($"wrote {await db.StringGetAsync("installed-package")}");
            """);
        var sentinels = string.Join(", ", resource.Credentials.Sentinels.Select(s => $"\"{s}\""));
        File.WriteAllText(Path.Combine(folder, "appsettings.json"), $$"""
            {
              "Redis": {
                "Sentinels": [{{sentinels}}],
                "MasterName": "{{resource.Credentials.MasterName}}",
                "PasswordFile": "{{resource.PasswordFile}}"
              }
            }
            """);
        return folder;
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Redoubt.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Redoubt.slnx above {AppContext.BaseDirectory}: these tests run from the repository's build output");
    }
}
