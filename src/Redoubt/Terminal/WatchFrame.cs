namespace Redoubt.Terminal;

/// <summary>
/// One reading of what a watch shows. <see cref="Key"/> is the same text with nothing that changes by itself (ages
/// measured from a fixed instant), so a pipe gets a new block only when the resource changed, not every second.
/// </summary>
public sealed record WatchFrame(string Key, string Text);
