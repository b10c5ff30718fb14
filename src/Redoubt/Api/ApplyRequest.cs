namespace Redoubt.Api;

/// <summary>The body of <c>POST /v1/apply</c>: the file's text as the command line read it, and its name for error messages.</summary>
public sealed record ApplyRequest(string Yaml, string FileName);

/// <summary>The answer to <c>POST .../restart</c>: the mark the rolling restart was requested with.</summary>
public sealed record RestartAccepted(string RestartedAt);

public sealed record RotationAccepted(string Request);
