using System.Security.Cryptography;
using System.Text;

namespace Redoubt.Core.Access;

/// <summary>
/// The SHA-256 of a password in lower-case hex, the form Redis keeps (<c>#hash</c> in an ACL rule). Config files and
/// ACL commands carry the hash, so a rendered <c>user</c> line never holds the password itself.
/// </summary>
public static class PasswordHash
{
    public static string Of(string password) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(password)));
}
