"""The current process as a request dependency, typed: pages and endpoints take it as
`process: CurrentProcess`. The lookup behind it is the process domain's own (`routes.register`)."""

from typing import Annotated

from fastapi import Depends

from stocktake.process.models import Process
from stocktake.web.deps import current_process

CurrentProcess = Annotated[Process, Depends(current_process)]
