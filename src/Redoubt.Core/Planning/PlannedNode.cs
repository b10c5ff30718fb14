using Redoubt.Core.Platform;

namespace Redoubt.Core.Planning;

/// <summary>A node the plan wants: its stable name, ordinal and zone.</summary>
public sealed record PlannedNode(NodeKind Kind, string Name, int Ordinal, string Zone);
