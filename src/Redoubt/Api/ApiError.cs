namespace Redoubt.Api;

/// <summary>The body of every failed call: a message meant for the user, shown as is.</summary>
public sealed record ApiError(string Error);
