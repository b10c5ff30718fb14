using YamlDotNet.RepresentationModel;

namespace Redoubt.Model;

/// <summary>The known fields of one YAML mapping, by name, with the mapping's path.</summary>
internal sealed class Fields(string path)
{
    private readonly Dictionary<string, YamlNode> _values = new(StringComparer.Ordinal);

    public string Path => path;

    public void Add(string name, YamlNode value) => _values[name] = value;

    public YamlNode? this[string name] => _values.GetValueOrDefault(name);

    public string PathOf(string name) => FieldPath.Child(path, name);
}
