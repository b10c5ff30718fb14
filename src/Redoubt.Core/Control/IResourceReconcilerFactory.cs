using Redoubt.Core.Platform;
using Redoubt.Model;

namespace Redoubt.Core.Control;

public interface IResourceReconcilerFactory
{
    /// <param name="status">The status an earlier control plane saved, so history survives a restart.</param>
    IResourceReconciler Create(string resourceKey, IRedisPlatform platform, RedisStatus? status);
}
