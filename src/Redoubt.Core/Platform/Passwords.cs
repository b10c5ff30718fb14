using System.Security.Cryptography;

namespace Redoubt.Core.Platform;

/// <summary>
/// A resource's password when a platform creates one: 32 random alphanumerics, as the reference platform generates
/// them. Nothing in them needs quoting in a config file, a connection string, a URL or a shell.
/// </summary>
public static class Passwords
{
    public const int Length = 32;

    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}
