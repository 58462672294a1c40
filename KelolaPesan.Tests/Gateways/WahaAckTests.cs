using KelolaPesan.Core.Gateways;
using KelolaPesan.Core.Inbox;

namespace KelolaPesan.Tests.Gateways;

public sealed class WahaAckTests
{
    [Theory]
    [InlineData(-1, MessageStatus.Failed)]
    [InlineData(0, MessageStatus.Pending)]
    [InlineData(1, MessageStatus.Sent)]
    [InlineData(2, MessageStatus.Delivered)]
    [InlineData(3, MessageStatus.Read)]
    [InlineData(4, MessageStatus.Read)]
    public void ToStatus_MapsEveryWahaAck(int ack, MessageStatus expected) =>
        Assert.Equal(expected, WahaAck.ToStatus(ack));
}
