"""cobv's `recebedor`, built from the configuration (BCB: name, document, street, city, UF, CEP)."""

from __future__ import annotations

from typing import Any

from pixgate.charges.errors import InvalidInput
from pixgate.cobv.documents import valid_cnpj, valid_cpf


def creditor_from_config(config: Any) -> dict[str, Any]:
    """The recebedor object, or InvalidInput naming the PIXGATE_RECEIVER_* variable to set."""
    document = getattr(config, "RECEIVER_DOCUMENT", "") or ""
    missing = [name for name in ("RECEIVER_DOCUMENT", "RECEIVER_STREET", "RECEIVER_UF",
                                 "RECEIVER_CEP") if not getattr(config, name, "")]
    if missing:
        raise InvalidInput("recebedor", "cobv needs the receiver's data: set " + ", ".join(
            f"PIXGATE_{name}" for name in missing))
    if valid_cpf(document):
        kind = "cpf"
    elif valid_cnpj(document):
        kind = "cnpj"
    else:
        raise InvalidInput("recebedor", "PIXGATE_RECEIVER_DOCUMENT is not a valid CPF or CNPJ")
    return {kind: document, "nome": config.MERCHANT_NAME, "logradouro": config.RECEIVER_STREET,
            "cidade": config.MERCHANT_CITY, "uf": config.RECEIVER_UF, "cep": config.RECEIVER_CEP}
