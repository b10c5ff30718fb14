namespace Redoubt.Commands;

/// <summary>`restart -o json`: the request's mark and, with --wait, that the resource is Ready again and how long that took.</summary>
public sealed record RestartReport(string Namespace, string Name, string RestartedAt, bool? Ready, double? ElapsedMs);
