"""Type stubs for ivrmedia._ivrmedia, the pybind11 extension (see ivrmedia.g711 for the API)."""

from typing import ClassVar, Literal, Union, overload

import numpy as np
import numpy.typing as npt

def version() -> str:
    """Version of the linked C++ library, 'MAJOR.MINOR.PATCH'."""

def best_simd_level() -> Literal["scalar", "avx2"]:
    """Best kernel instruction set this CPU runs."""

class Law:
    """G.711 companding law."""

    mulaw: ClassVar[Law]
    alaw: ClassVar[Law]
    __members__: ClassVar[dict[str, Law]]
    def __init__(self, value: int) -> None: ...
    def __eq__(self, other: object) -> bool: ...
    def __hash__(self) -> int: ...
    def __index__(self) -> int: ...
    def __int__(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def value(self) -> int: ...

def g711_encode(
    pcm: Union[npt.NDArray[np.int16], npt.NDArray[np.float32]], law: Law
) -> npt.NDArray[np.uint8]:
    """Encode a 1-D C-contiguous int16 or float32 array to G.711 codes of `law`."""

@overload
def g711_decode(
    codes: npt.NDArray[np.uint8], law: Law, as_float: Literal[False] = ...
) -> npt.NDArray[np.int16]: ...
@overload
def g711_decode(
    codes: npt.NDArray[np.uint8], law: Law, as_float: Literal[True]
) -> npt.NDArray[np.float32]: ...
@overload
def g711_decode(
    codes: npt.NDArray[np.uint8], law: Law, as_float: bool
) -> Union[npt.NDArray[np.int16], npt.NDArray[np.float32]]: ...
def g711_transcode(codes: npt.NDArray[np.uint8], from_law: Law) -> npt.NDArray[np.uint8]:
    """Convert codes of `from_law` to codes of the other law (G.711 Tables 3 and 4)."""
