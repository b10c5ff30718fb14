using System.Security.Cryptography;
using System.Text;

namespace Redoubt.Core.Planning;

/// <summary>
/// The one hash of rendered content: a prefix of the SHA-256 in lower-case hex. Revisions, config and template
/// hashes, and ids derived from names all use it, so equal content means an equal hash wherever it is computed.
/// </summary>
public static class ContentHash
{
    /// <summary>16 hex digits over the parts joined by NUL (no part can contain it, so no two lists collide).</summary>
    public static string Of(params IEnumerable<string> parts) => Hex(string.Join('\0', parts), 16);

    public static string Hex(string text, int digits) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..digits];
}
