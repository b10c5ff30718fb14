using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Redoubt.Model;

/// <summary>
/// Sits between YamlDotNet's parser and its node tree and refuses the inputs that would make building or comparing that
/// tree crash the process rather than fail: absurd nesting (the tree is built recursively), an alias inside the node it
/// names (a cycle, which hashing follows forever) and non-scalar mapping keys (hashed recursively, exponentially so
/// through aliases). No Redis resource needs any of them.
/// </summary>
internal sealed class GuardedParser(IParser inner, int maxDepth, bool allowAliases) : IParser
{
    private readonly Stack<Container> _open = new();

    public ParsingEvent? Current => inner.Current;

    /// <summary>The line of the last event read: where to point when the parser fails without saying where.</summary>
    public int LastLine { get; private set; } = 1;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        var current = inner.Current!;
        LastLine = (int)Math.Max(1, current.Start.Line);
        switch (current)
        {
            case Scalar:
                NodeStarted(current, isScalar: true);
                break;
            case AnchorAlias alias:
                if (!allowAliases)
                {
                    throw Refuse(current, "aliases (*name) are not supported here");
                }

                if (_open.Any(c => c.Anchor == alias.Value))
                {
                    throw Refuse(current, $"alias *{alias.Value} refers to a node that contains it");
                }

                NodeStarted(current, isScalar: false);
                break;
            case MappingStart or SequenceStart:
                NodeStarted(current, isScalar: false);
                if (_open.Count >= maxDepth)
                {
                    throw Refuse(current, $"nesting deeper than {maxDepth} levels; a Redis resource needs only a few");
                }

                _open.Push(new Container(current is MappingStart, ((NodeEvent)current).Anchor));
                break;
            case MappingEnd or SequenceEnd:
                _open.Pop();
                break;
        }

        return true;
    }

    /// <summary>Inside a mapping, nodes alternate between key and value; a key must be a plain scalar.</summary>
    private void NodeStarted(ParsingEvent node, bool isScalar)
    {
        if (_open.TryPeek(out var parent) && parent.IsMapping)
        {
            if (parent.NextIsKey && !isScalar)
            {
                throw Refuse(node, "a mapping key must be a plain name, not a list, a mapping or an alias");
            }

            parent.NextIsKey = !parent.NextIsKey;
        }
    }

    private static YamlException Refuse(ParsingEvent at, string message) => new(at.Start, at.End, message);

    private sealed class Container(bool isMapping, AnchorName anchor)
    {
        public bool IsMapping => isMapping;

        public AnchorName Anchor => anchor;

        public bool NextIsKey { get; set; } = true;
    }
}
