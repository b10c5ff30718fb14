namespace Redoubt.Model.Tests.HostileInput;

/// <summary>The valid files the hostile ones start from: every <c>examples/*.yaml</c> of the repository.</summary>
internal static class ExampleFiles
{
    public static IReadOnlyList<(string Name, string Text)> Load()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var examples = Path.Combine(dir.FullName, "examples");
            if (File.Exists(Path.Combine(dir.FullName, "Redoubt.slnx")) && Directory.Exists(examples))
            {
                return [.. Directory.GetFiles(examples, "*.yaml").Order(StringComparer.Ordinal).Select(f => ("examples/" + Path.GetFileName(f), File.ReadAllText(f)))];
            }
        }

        throw new InvalidOperationException($"no Redoubt.slnx with an examples folder above {AppContext.BaseDirectory}");
    }
}
