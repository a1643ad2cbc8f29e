"""Sources on other machines, through Eclipse Zenoh (docs/NETWORK.md): ``pip install 'shareimg[network]'``.

    import shareimg.network

    with shareimg.network.send("camera", listen=["tcp/0.0.0.0:7447"]):    # on the machine that has it
        signal.pause()

    with shareimg.network.receive("rig/camera", key="camera") as receiver: # on another: shared locally
        receiver.wait_shared(10)                                            # under key "camera"

    for source in shareimg.network.network_sources(["tcp/rig:7447"]):
        print(source.name, source.width, source.height, source.fps)

zenoh and the JPEG codec are imported when first used: ``import shareimg`` needs neither.
"""

from __future__ import annotations

from shareimg.network.receiver import Arrival, Receiver
from shareimg.network.remote_sources import NetworkSources, RemoteSource, network_sources
from shareimg.network.sender import Sender

send = Sender
receive = Receiver

__all__ = ["Arrival", "NetworkSources", "Receiver", "RemoteSource", "Sender", "network_sources", "receive", "send"]
