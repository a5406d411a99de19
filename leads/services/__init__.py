"""Writes of the leads app, one module per use case: ``devices`` (pairing, provisioning,
revoking), ``questions`` (qualifying questions), ``capture`` (badge scans, single and batched),
``lead_update`` (merging later edits) and ``lead_data`` (validation shared by the last two)."""
