"""`score draft`: 评分标准 text → proposed 评分公式 (``rules.draft_rule``), and how a drafted workbook marks them."""

DRAFT_MARK = "【起草，待确认】"  # a drafted cell's comment starts with this until someone confirms it (check lists them)
MANUAL_MARK = "【未起草】"  # a leaf left manual: its comment says why
