namespace Redoubt.Model;

/// <summary>All the resources of a file, or none of them and every error: a file is applied whole or not at all.</summary>
public sealed record LoadResult(IReadOnlyList<RedisResource> Resources, IReadOnlyList<ValidationError> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}
