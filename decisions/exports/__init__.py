"""Files made from payment batches and repayment claims: payment lists (CSV, XLSX), the bank's
credit-transfer file (ISO 20022 pain.001.001.03) and the ledger's SIE 4I file."""
