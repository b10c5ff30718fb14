using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Redoubt.Model;

/// <summary>
/// Reads <c>Redis</c> resources from YAML (or JSON, which is YAML): one or more documents separated by <c>---</c>.
/// Reports every error of every document, each with the file, the field path, the line and what is allowed.
/// </summary>
public static class ResourceLoader
{
    /// <summary>A resource nests five levels, the managedFields kubectl adds a few more; far deeper is an accident or an attack.</summary>
    private const int MaxDepth = 64;

    public static LoadResult LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return Failed(new ValidationError(path, "", $"cannot read the file: {Reason(e, path)}"));
        }

        return Load(text, path);
    }

    public static LoadResult Load(string yamlText, string fileName)
    {
        ArgumentNullException.ThrowIfNull(yamlText);
        return Parse(yamlText, fileName, out var stream) is { } malformed ? Failed(malformed) : Read(stream, fileName);
    }

    /// <summary>The YAML tree, or the one error that made it unreadable.</summary>
    private static ValidationError? Parse(string yamlText, string fileName, out YamlStream stream)
    {
        stream = new YamlStream();
        var parser = new GuardedParser(new Parser(new StringReader(yamlText)), MaxDepth, allowAliases: true);
        try
        {
            stream.Load(parser);
            return null;
        }
        catch (YamlException e)
        {
            return new ValidationError(fileName, "", $"not valid YAML: {Show.Message(e.Message)}", e.Start.Line > 0 ? (int)e.Start.Line : parser.LastLine);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet throws these, without a position, on some malformed input (an unclosed list at the end of a file).
            return new ValidationError(fileName, "",
                "not valid YAML: cannot read past this line; look for an unclosed bracket, brace or quote", parser.LastLine);
        }
    }

    private static LoadResult Read(YamlStream stream, string fileName)
    {
        var resources = new List<RedisResource>();
        var errors = new List<ValidationError>();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var document in stream.Documents)
        {
            // "---" at the start or end of a file, or twice in a row, makes an empty document: nothing to apply.
            if (YamlScalars.IsNull(document.RootNode))
            {
                continue;
            }

            var collector = new ErrorCollector(fileName);
            if (ResourceReader.Read(document.RootNode, collector) is { } resource)
            {
                ResourceValidator.Validate(resource, collector);
                if (!firstLineOf.TryAdd(resource.Key, NodeReader.Line(document.RootNode)))
                {
                    collector.Add("metadata.name", $"{resource.Key} is defined twice in this file (first at line {firstLineOf[resource.Key]})");
                }

                resources.Add(resource);
            }

            errors.AddRange(collector.Errors);
        }

        if (errors.Count == 0 && resources.Count == 0)
        {
            errors.Add(new ValidationError(fileName, "", "no resource found: the file holds no YAML document; expected a Redis resource"));
        }

        // OrderBy is stable: errors on the same line keep their field order.
        return errors.Count == 0
            ? new LoadResult(resources, [])
            : new LoadResult([], [.. errors.OrderBy(e => e.Line ?? int.MaxValue)]);
    }

    private static LoadResult Failed(ValidationError error) => new([], [error]);

    private static string Reason(Exception e, string path) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "no such file",
        UnauthorizedAccessException when Directory.Exists(path) => "it is a directory; name a YAML file",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
